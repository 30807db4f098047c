#!/usr/bin/env python3
"""Write the seed corpus of fuzz_virtio_mem (tests/fuzz/corpus/virtio_mem/).

Each seed: struct virtio_mem_config (block_size, node_id, 6 padding bytes, addr, region_size,
usable_region_size, plugged_size, requested_size; little endian), a byte choosing the memory
block size, a byte choosing the request type, then the device's answer.
"""
import os
import struct

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "virtio_mem")
MiB, GiB = 1 << 20, 1 << 30


def cfg(block=2 * MiB, node=0, addr=4 * GiB, region=8 * GiB, usable=1280 * MiB, plugged=0, requested=GiB):
    return struct.pack("<QH6xQQQQQ", block, node, addr, region, usable, plugged, requested)


def resp(kind=0, state=0, n=10):
    return struct.pack("<H6xH", kind, state)[:n]


SEEDS = {
    "qemu_default": cfg() + bytes([0, 0]) + resp(),
    "qemu_4m_blocks": cfg(block=4 * MiB) + bytes([0, 1]) + resp(1),
    "state_mixed": cfg() + bytes([1, 3]) + resp(0, 2),
    "state_bad": cfg() + bytes([0, 3]) + resp(0, 9),
    "busy_unplug": cfg(plugged=GiB) + bytes([0, 1]) + resp(2),
    "short_answer": cfg() + bytes([0, 0]) + resp(n=1),
    "unknown_answer": cfg() + bytes([0, 2]) + resp(7),
    "block_not_pow2": cfg(block=3 * MiB) + bytes([0, 0]) + resp(),
    "over_ram": cfg(addr=2 * GiB) + bytes([0, 0]) + resp(),
    "unaligned_addr": cfg(addr=4 * GiB + 64 * MiB, region=256 * MiB, usable=0, requested=0) + bytes([2, 0]) + resp(3),
    "usable_beyond": cfg(usable=9 * GiB) + bytes([0, 0]) + resp(),
    "small_block": cfg(block=4096, requested=4096, usable=256 * MiB) + bytes([3, 0]) + resp(),
    "end_overflow": cfg(addr=(1 << 64) - 2 * MiB, region=4 * MiB) + bytes([0, 0]) + resp(),
}


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, data in SEEDS.items():
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)
    print(f"{len(SEEDS)} seeds in {OUT}")


if __name__ == "__main__":
    main()
