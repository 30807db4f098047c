"""SMP bring-up, interrupt routing and the job runner, in QEMU (TCG, thread=multi).

What each configuration must give, stated here and not read back from the kernel:

- `-smp N` on QEMU's `pc` machine lists N enabled CPUs in the MADT with APIC ids 0..N-1;
  all of them must come up, CPU ids in MADT order (so CPU i has APIC id i).
- `maxcpus=M` brings up M CPUs (the boot CPU included), `nosmp` only the boot CPU; the others
  are listed by `cpus` as not-started, with the option that held them back.
- `smp_test_stuck=K` never sends the CPU with APIC id K its STARTUP IPIs: it must be reported within the boot
  timeout and skipped, and the rest must work (the self-tests run on the CPUs that are up).
- QEMU's MADT overrides ISA IRQ 0 -> GSI 2 and IRQ 9 (the ACPI SCI) -> GSI 9 level,
  active-high; the console's IRQ 4 goes through the IOAPIC on vector 0x24 (the shell answering
  at all proves it, since the 8259s are masked).
- Under TCG every vCPU reads one host clock, so the TSC offset measured by ping-pong must stay
  within the measurement's own uncertainty.
"""
from qemu import boot, Machine, PROMPT

SMP_TESTS = "selftest=mt_job_all_cpus,mt_job_takeover,lapic_timer,smp_call_each_cpu"


def check_smp_boot(n, cmdline=SMP_TESTS, expect_online=None, expect_failed=0, extra=""):
    online = n if expect_online is None else expect_online
    r = boot(f"-smp {n} -m 512M {extra}", cmdline=cmdline, timeout=180)
    r.expect_status(33)
    smp = r.event("smp_ready")
    assert smp["enabled"] == n, smp
    assert smp["online"] == online, smp
    assert smp["failed"] == expect_failed, smp
    assert smp["ioapic"] is True, smp
    assert smp["tsc_skew_ns"] <= smp["tsc_skew_uncertainty_ns"] + 1000, smp

    job = r.event("selftest_mt_job")
    assert job["cpus"] == online, job
    assert len(job["per_cpu"]) == online, job
    assert all(c > 0 for c in job["per_cpu"]), f"a CPU pulled no chunk: {job}"
    assert sum(job["per_cpu"]) == job["chunks"], job
    assert job["threads"] == min(online, job["chunks"]), job

    tk = r.event("selftest_mt_job_takeover")
    assert tk["takeovers"] >= 3, tk
    assert r.event("selftest_smp_call")["cpus"] == online
    st = r.event("selftest")
    assert st["failed"] == 0 and st["passed"] == 4, st
    return r


def test_smp_1():
    check_smp_boot(1)


def test_smp_2():
    check_smp_boot(2)


def test_smp_4():
    check_smp_boot(4)


def test_maxcpus_2_of_4():
    r = check_smp_boot(4, cmdline=SMP_TESTS + " maxcpus=2", expect_online=2)
    assert "2 of 4 enabled CPUs left offline (maxcpus=)" in r.output, r.tail()


def test_nosmp():
    r = check_smp_boot(4, cmdline=SMP_TESTS + " nosmp", expect_online=1)
    assert "3 of 4 enabled CPUs left offline (nosmp)" in r.output, r.tail()


def test_stuck_cpu_is_skipped():
    r = check_smp_boot(4, cmdline=SMP_TESTS + " smp_test_stuck=2", expect_online=3, expect_failed=1)
    fail = r.event("cpu_boot_failed")
    assert fail["cpu"] == 2 and fail["apic_id"] == 2, fail
    assert "CPU 2 (APIC id 2) did not come up within" in r.output, r.tail()


def parse_cpus(out):
    rows = {}
    for line in out.splitlines():
        f = line.split()
        if len(f) >= 4 and f[0].isdigit() and f[3] == "online":
            rows[int(f[0])] = {"apic": int(f[1]), "node": int(f[2])}
    return rows


def test_cpus_command_and_ioapic_console():
    with Machine("-smp 4 -m 512M", cmdline="maxcpus=3") as m:
        m.wait_for(PROMPT)
        out = m.command("cpus")
        rows = parse_cpus(out)
        assert rows == {c: {"apic": c, "node": 0} for c in range(3)}, out
        assert "not-started  maxcpus=" in out, out
        assert "3 online; xAPIC mode, IOAPIC routing" in out, out

        out = m.command("ioapic")
        assert "ISA IRQ 0 -> GSI 2 edge active-high" in out, out
        assert "ISA IRQ 9 -> GSI 9 level active-high" in out, out
        assert "GSI 4   vector 0x24 edge  active-high -> APIC id 0" in out, out


def test_two_nodes_cpu_placement():
    numa = ("-object memory-backend-ram,id=r0,size=256M -object memory-backend-ram,id=r1,size=256M "
            "-numa node,nodeid=0,cpus=0-1,memdev=r0 -numa node,nodeid=1,cpus=2-3,memdev=r1")
    with Machine(f"-smp 4 -m 512M {numa}") as m:
        m.wait_for(PROMPT)
        out = m.command("cpus")
        rows = parse_cpus(out)
        assert {c: r["node"] for c, r in rows.items()} == {0: 0, 1: 0, 2: 1, 3: 1}, out
