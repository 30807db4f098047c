"""Boot scenarios of the boot spine: memory maps, milestones, exit status, shell.

The expected memblock totals are what each QEMU configuration must give, worked out here from
how QEMU's `pc` machine and SeaBIOS lay out RAM, not read back from the kernel:

- RAM below 4 GiB ("lowmem") is all of RAM when RAM < 3.5 GiB, else 3 GiB; the rest starts
  at 4 GiB.
- SeaBIOS's e820 map reports usable [0, 0x9fc00) (the EBDA takes 0x9fc00-0xa0000),
  [1 MiB, lowmem - 128 KiB) (the top 128 KiB hold SeaBIOS's tables), and all RAM above 4 GiB.
- Coldplugged pc-dimms are not in the firmware map at all.
"""
from qemu import boot, Machine, PROMPT

KiB, MiB, GiB = 1 << 10, 1 << 20, 1 << 30
NUMA2 = ("-m 512M -smp 2 -object memory-backend-ram,id=r0,size=256M "
         "-object memory-backend-ram,id=r1,size=256M "
         "-numa node,nodeid=0,cpus=0,memdev=r0 -numa node,nodeid=1,cpus=1,memdev=r1")
DIMM = ("-m 512M,slots=8,maxmem=32G -object memory-backend-ram,id=d0,size=1G "
        "-device pc-dimm,id=dimm0,memdev=d0")


def usable_ram(ram):
    lowmem = ram if ram < 3584 * MiB else 3 * GiB
    high = ram - lowmem
    return 0x9fc00 + (lowmem - 128 * KiB - 1 * MiB) + high


def check_milestones(r):
    entry = r.event("kernel_entry")
    mb = r.event("memblock_ready")
    shell = r.event("shell_ready")
    assert entry["ns"] == 0, entry
    assert 0 < mb["ns"] < shell["ns"], (mb, shell)
    assert entry["tsc_khz"] > 100_000, entry  # any TCG host runs its TSC above 100 MHz
    assert entry["qemu"] is True, entry
    return mb


def boot_and_check(qemu_args, cmdline, expect_memory, regions=None, timeout=120):
    r = boot(qemu_args, cmdline=cmdline, commands=["cmdline"], timeout=timeout)
    r.expect_status(33)
    mb = check_milestones(r)
    assert mb["memory"] == expect_memory, \
        f"memblock memory {mb['memory']:#x}, configuration gives {expect_memory:#x}"
    if regions is not None:
        assert mb["regions"] == regions, mb
    return r


def test_512m():
    boot_and_check("-m 512M", "", usable_ram(512 * MiB), regions=2)


def test_4g():
    # 3 GiB below the PCI hole, 1 GiB above 4 GiB: three RAM ranges.
    boot_and_check("-m 4G", "", usable_ram(4 * GiB), regions=3)


def test_1000m_odd_size():
    boot_and_check("-m 1000M", "", usable_ram(1000 * MiB), regions=2)


def test_two_numa_nodes():
    boot_and_check(NUMA2, "", usable_ram(512 * MiB))


def test_dimm_not_in_firmware_map():
    # The 1 GiB DIMM must not show up in memblock: only the ACPI controller knows it.
    boot_and_check(DIMM, "", usable_ram(512 * MiB))


def test_mem_limit():
    # mem= keeps the lowest 300 MiB of RAM, counted in bytes of memory (as Linux).
    r = boot_and_check("-m 512M", "mem=300M", 300 * MiB)
    assert "mem=300M" in r.output


def test_selftest_exit_status():
    r = boot("-m 512M", cmdline="selftest", timeout=120)
    r.expect_status(33)
    ev = r.event("selftest")
    assert ev["failed"] == 0, ev


def test_cmdline_sources_and_last_wins():
    # fw_cfg's words come after GRUB's; for a repeated key the last one wins.
    with Machine("-m 512M", cmdline="loglevel=3 quiet loglevel=5 nosuchoption=1") as m:
        m.wait_for(PROMPT)
        out = m.command("cmdline")
        assert "fw_cfg: loglevel=3 quiet loglevel=5 nosuchoption=1" in out, out
        assert "unknown option 'nosuchoption=1'" in m.buf, m.buf[-2000:]
        out = m.command("nosuchcommand")
        assert "unknown command" in out, out
        m.send("poweroff\n")
        m.wait_exit().expect_status(33)


def test_shell_basics():
    with Machine("-m 512M") as m:
        m.wait_for(PROMPT)
        out = m.command("help")
        for cmd in ("help", "mmap", "memblock", "cmdline", "dmesg", "uptime", "reboot", "poweroff"):
            assert f"  {cmd} " in out, f"`help` does not list {cmd}:\n{out}"
        out = m.command("mmap")
        assert "usable" in out and "reserved" in out, out
        out = m.command("dmesg")
        assert "hotmm: booted by GRUB" in out, out
        out = m.command("memblock")
        assert "memory.cnt" in out and "reserved.cnt" in out, out
        out = m.command("uptime")
        assert out.startswith("up "), out
        m.send("poweroff\n")
        m.wait_exit().expect_status(33)


def test_console_on_com2():
    # console=ttyS1: the kernel's own output moves to the second serial port.
    import os
    import subprocess
    import tempfile
    from qemu import qemu_argv
    with tempfile.TemporaryDirectory() as d:
        log0, log1 = os.path.join(d, "s0"), os.path.join(d, "s1")
        argv = qemu_argv("-m 512M", "console=ttyS1 selftest", serial=f"file:{log0}") + ["-serial", f"file:{log1}"]
        p = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, timeout=120)
        assert p.returncode == 33, (p.returncode, p.stdout[-2000:])
        s1 = open(log1, errors="replace").read()
        assert '"event":"selftest"' in s1, s1[-2000:]


def test_page_fault_report_and_panic_status():
    with Machine("-m 512M") as m:
        m.wait_for(PROMPT)
        m.send("crash pagefault\n")
        r = m.wait_exit()
    r.expect_status(37)
    for text in ("exception 14 (page fault)", "page fault at address 0x000000000dead000",
                 "RIP: 0x", "crash_now+0x", "Call Trace:", "cmd_crash+0x", "shell_exec+0x",
                 "CR2: 000000000dead000", "Kernel panic - not syncing: CPU exception 14"):
        assert text in r.output, f"{text!r} missing from the fault report:\n{r.tail()}"
    assert r.event("panic")["msg"].startswith("CPU exception 14")


def test_invalid_opcode():
    with Machine("-m 512M") as m:
        m.wait_for(PROMPT)
        m.send("crash ud\n")
        r = m.wait_exit()
    r.expect_status(37)
    assert "exception 6 (invalid opcode)" in r.output, r.tail()


def test_out_of_range_options_rejected():
    # Each value parses, but none is allowed: every one is named with what is allowed, and the
    # default is used instead (2 CPUs come up, boot_mem's 256M = 2 sections are initialized
    # early, and loglevel stays 6, so KERN_INFO lines stay off the console).
    r = boot("-m 512M -smp 2", cmdline="maxcpus=-1 boot_mem=1 loglevel=99 selftest=smp_call_each_cpu",
             timeout=120)
    r.expect_status(33)
    for text in ("cmdline: maxcpus=-1 rejected: allowed is a number of CPUs 0..",
                 "cmdline: boot_mem=1 rejected: allowed is a size that is a multiple of 128M",
                 "cmdline: loglevel=99 rejected: allowed is a number 0..8"):
        assert text in r.output, f"{text!r} missing:\n{r.tail()}"
    assert r.event("smp_ready")["online"] == 2, r.event("smp_ready")
    early = [e for e in r.events_named("memmap_init") if e["phase"] == "early"]
    assert early and early[0]["pages"] == 2 * 128 * MiB // 4096, early
    assert "mm: early region" not in r.output, r.tail()    # pr_info: below the default level 6


def test_allowed_option_values_accepted():
    # The edges of what is allowed still work: maxcpus=1 brings up the boot CPU only,
    # boot_mem=128M initializes one section early, loglevel=8 shows KERN_INFO lines.
    r = boot("-m 512M -smp 2", cmdline="maxcpus=1 boot_mem=128M loglevel=8 selftest=smp_call_each_cpu",
             timeout=120)
    r.expect_status(33)
    assert "rejected" not in r.output, r.tail()
    assert r.event("smp_ready")["online"] == 1, r.event("smp_ready")
    early = [e for e in r.events_named("memmap_init") if e["phase"] == "early"]
    assert early and early[0]["pages"] == 128 * MiB // 4096, early
    assert "mm: early region" in r.output, r.tail()


def test_bench_exit_alone_waits_for_boot_ram():
    # bench_exit without bench= leaves QEMU once all boot RAM is allocatable. With 4 GiB and a
    # 128M early region, deferred init is still running when the shell would come up, which is
    # when it used to be too late to ever exit.
    r = boot("-m 4G -smp 2", cmdline="bench_exit boot_mem=128M", timeout=120)
    r.expect_status(33)
    ram, done = r.event("all_ram_allocatable"), r.event("bench_done")
    assert ram["ns"] <= done["ns"] and done["ran"] == 0 and done["failed"] == 0, (ram, done)
