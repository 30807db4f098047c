"""`make run` itself (the README's first command): it boots to the shell, with and
without CMDLINE=, and through OVMF with UEFI=1, and its options reach the kernel
through fw_cfg."""
import os
import re
import select
import subprocess
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def run_make(cmdline, extra=(), commands=(b"cmdline\n",)):
    args = ["make", "-s", "run"] + ([f"CMDLINE={cmdline}"] if cmdline is not None else []) + list(extra)
    p = subprocess.Popen(args, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT)
    out, deadline, sent = b"", time.time() + 120, False
    try:
        while time.time() < deadline:
            r, _, _ = select.select([p.stdout], [], [], 0.5)
            if r:
                data = os.read(p.stdout.fileno(), 65536)
                if not data:
                    break
                out += data
            if not sent and b"hotmm> " in out:
                for line in tuple(commands) + (b"poweroff\n",):
                    for i in range(0, len(line), 8):
                        p.stdin.write(line[i:i + 8])
                        p.stdin.flush()
                        time.sleep(0.01)
                    time.sleep(0.5)
                sent = True
        p.wait(timeout=10)
    finally:
        if p.poll() is None:
            p.kill()
    return out.decode("utf-8", "replace")


def test_make_run_plain():
    out = run_make(None)
    assert "fw_cfg: (empty)" in out, out[-2000:]
    assert "reboot: Power down" in out, out[-2000:]


def test_make_run_with_cmdline():
    out = run_make("loglevel=6 memblock=debug,x")
    assert "fw_cfg: loglevel=6 memblock=debug,x" in out, out[-2000:]


def test_make_run_acpi_override():
    # The README's line: a SLIT for a machine that has none, on a two-node QEMU_ARGS machine.
    import tempfile
    from acpi_tables import slit_body, table
    with tempfile.TemporaryDirectory(prefix="hotmm-make-run-") as tmp:
        path = os.path.join(tmp, "slit.dat")
        with open(path, "wb") as f:
            f.write(table("SLIT", slit_body([[10, 17], [17, 10]])))
        qargs = ("-m 512M -smp 2 -object memory-backend-ram,id=m0,size=256M "
                 "-object memory-backend-ram,id=m1,size=256M "
                 "-numa node,nodeid=0,cpus=0,memdev=m0 -numa node,nodeid=1,cpus=1,memdev=m1")
        out = run_make(None, [f"ACPI_OVERRIDE={path}", f"QEMU_ARGS={qargs}"], (b"acpi\n", b"numa\n"))
    assert "added from module 0 (slit.dat)" in out, out[-2000:]
    assert re.search(r"0:\s+10\s+17\s*\n\s+1:\s+17\s+10", out), out[-2000:]
    assert "reboot: Power down" in out, out[-2000:]


def test_make_gdb_stops_at_start_kernel():
    p = subprocess.run(["make", "-s", "gdb", "GDB_ARGS=-batch -ex bt"], cwd=ROOT, capture_output=True,
                       text=True, timeout=180, stdin=subprocess.DEVNULL)
    out = p.stdout + p.stderr
    assert "Breakpoint 1, start_kernel" in out, out[-2000:]
    assert "kernel/main.c" in out, out[-2000:]   # symbols and line info from build/hotmm.elf


def test_make_run_uefi():
    # README's `make run UEFI=1`: the same ISO through OVMF, with a fresh private copy of
    # OVMF's variable store in build/; Debian's template is never written.
    from qemu import OVMF_VARS, Skip, ovmf_missing
    if ovmf_missing():
        raise Skip(ovmf_missing())
    import hashlib
    before = hashlib.sha256(open(OVMF_VARS, "rb").read()).hexdigest()
    out = run_make(None, ["UEFI=1"], (b"mmap\n",))
    assert '"boot":"uefi"' in out and '"mmap":"efi"' in out, out[-3000:]
    assert re.search(r"boot: UEFI, through GRUB .*EFI system table at 0x[0-9a-f]+: EFI v2", out), out[-3000:]
    assert "-> XSDT at 0x" in out, out[-3000:]
    assert "reboot: Power down" in out, out[-2000:]
    assert hashlib.sha256(open(OVMF_VARS, "rb").read()).hexdigest() == before
    assert os.path.getsize(os.path.join(ROOT, "build", "OVMF_VARS.fd")) == os.path.getsize(OVMF_VARS)
