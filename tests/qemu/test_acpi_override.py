"""ACPI tables from GRUB modules (drivers/acpi/table_override.c): a replaced SLIT and
SRAT, and an added SLIT, show in `acpi` and shape the NUMA nodes; bad modules are
refused with module, offset and field named, and the firmware's tables stay."""
import os
import re
import tempfile

from acpi_tables import cpio, slit_body, srat_body, table
from qemu import boot, make_iso

GiB = 1 << 30
MiB = 1 << 20
NUMA3 = ("-M pc -m 768M -smp 2 -object memory-backend-ram,id=m0,size=256M "
         "-object memory-backend-ram,id=m1,size=256M -object memory-backend-ram,id=m2,size=256M "
         "-numa node,nodeid=0,cpus=0,memdev=m0 -numa node,nodeid=1,cpus=1,memdev=m1 "
         "-numa node,nodeid=2,memdev=m2 -numa dist,src=0,dst=1,val=21 "
         "-numa dist,src=0,dst=2,val=31 -numa dist,src=1,dst=2,val=41")
PLAIN = "-M pc -m 512M,slots=2,maxmem=4G -smp 2"
DIST_RE = re.compile(r"^\s+(\d+):((?:\s+\d+)+)\s*$", re.M)
NODE_RE = re.compile(r"^node (\d+): pxm (\d+), online, (\d+) cpus \[apic([ \d]*)\], (\d+) MiB present", re.M)


def boot_with(modules, qemu_args, commands=("acpi", "numa")):
    """modules: {file name: bytes}; boots an ISO whose GRUB loads them in that order."""
    with tempfile.TemporaryDirectory(prefix="hotmm-override-") as tmp:
        paths = []
        for name, data in modules.items():
            paths.append(os.path.join(tmp, name))
            with open(paths[-1], "wb") as f:
                f.write(data)
        r = boot(qemu_args, iso=make_iso(paths, tmp), commands=list(commands), timeout=180)
    r.expect_status(33)
    return r


def distances(out):
    text = out.split("distances:", 1)[1].split("hotmm>")[0]
    return [[int(x) for x in row.split()] for _, row in DIST_RE.findall(text)]


def table_line(out, sig):
    return [l for l in out.splitlines() if l.strip().startswith(sig + " ")]


def test_override_slit_replaced():
    dist = [[10, 12, 13], [12, 10, 14], [13, 14, 10]]
    r = boot_with({"slit.dat": table("SLIT", slit_body(dist))}, NUMA3)
    assert distances(r.output) == dist, r.tail()
    line = table_line(r.output, "SLIT")
    assert len(line) == 1 and "HOTMM  OVERRIDE" in line[0] and \
        line[0].endswith("replaced from module 0 (slit.dat)"), line
    assert "overrides: 1 replaced, 0 added, 0 module(s) refused" in r.output
    ev = r.event("acpi")
    assert ev["replaced"] == 1 and ev["added"] == 0 and ev["errors"] == 0, ev


def test_override_srat_replaced_and_slit_added_from_cpio():
    # One node from the firmware; the SRAT from the archive makes two, and
    # puts the hot-pluggable range on node 1; its SLIT (the firmware has none) is added.
    srat = table("SRAT", srat_body([(0, 0), (1, 1)],
                                   [(0, 0xa0000, 0, False), (1 * MiB, 255 * MiB, 0, False),
                                    (256 * MiB, 256 * MiB, 1, False), (4 * GiB, 4 * GiB, 1, True)]))
    slit = table("SLIT", slit_body([[10, 25], [25, 10]]))
    archive = cpio([("kernel/firmware/acpi", 0o40755, b""),
                    ("kernel/firmware/acpi/srat.dat", srat), ("kernel/firmware/acpi/slit.dat", slit)])
    r = boot_with({"tables.cpio": archive}, PLAIN, commands=("acpi", "numa", "pagetypes --check"))
    nodes = {int(m.group(1)): (m.group(4).split(), int(m.group(5))) for m in NODE_RE.finditer(r.output)}
    assert sorted(nodes) == [0, 1], r.tail()
    assert nodes[0][0] == ["0"] and nodes[1][0] == ["1"], nodes
    assert 250 <= nodes[0][1] <= 256 and 254 <= nodes[1][1] <= 256, nodes
    assert "hotplug [0x000100000000-0x000200000000) node 1" in r.output, r.tail()
    assert distances(r.output) == [[10, 25], [25, 10]]
    assert table_line(r.output, "SRAT")[0].endswith("replaced from module 0 (tables.cpio)")
    assert table_line(r.output, "SLIT")[0].endswith("added from module 0 (tables.cpio)")
    ev = r.event("acpi")
    assert ev["nodes"] == 2 and ev["replaced"] == 1 and ev["added"] == 1 and ev["errors"] == 0, ev
    assert "pagetypes: all invariants hold" in r.output, r.tail()


def test_override_bad_modules_refused():
    good = table("SLIT", slit_body([[10, 12, 13], [12, 10, 14], [13, 14, 10]]))
    bad_sum = bytearray(good)
    bad_sum[40] ^= 1
    unknown = table("QQQQ", b"")
    truncated = good[:-3]
    good_srat_name = good  # a SLIT in a file named srat.dat
    bad_cpio = bytearray(cpio([("kernel/firmware/acpi/slit.dat", good)]))
    bad_cpio[6 + 6 * 8 + 2] = ord("z")  # c_filesize of the first header
    no_trailer = cpio([("kernel/firmware/acpi/slit.dat", good)], trailer=False)
    modules = {"slit.dat": bytes(bad_sum), "qqqq.dat": unknown, "slit2.dat": truncated,
               "srat.dat": good_srat_name, "a.cpio": bytes(bad_cpio), "b.cpio": no_trailer}
    r = boot_with(modules, NUMA3, commands=("acpi", "numa"))
    out = r.output
    n = len(good)
    for want in (f"module 0 (slit.dat)+0x9: table: checksum: {n} bytes sum to 0x",
                 "module 1 (qqqq.dat)+0x0: table: signature: \"QQQQ\" is not a table that can be overridden",
                 f"module 2 (slit2.dat)+0x4: table: length: {n} is beyond the {n - 3} bytes there "
                 "(truncated table)",
                 "module 3 (srat.dat)+0x0: table: signature: the table is \"SLIT\", the file name says \"SRAT\"",
                 "module 4 (a.cpio)+0x36: cpio header: c_filesize: byte 2 is not a hex digit",
                 "module 5 (b.cpio)+0x", "(no TRAILER!!! entry)"):
        assert want in out, f"{want!r} missing\n{r.tail()}"
    for i in range(6):
        assert re.search(rf"module {i} \([^)]*\): refused whole", out), i
    # The firmware's tables stay: QEMU's SLIT and distances.
    assert distances(out) == [[10, 21, 31], [21, 10, 41], [31, 41, 10]], r.tail()
    assert "from module" not in "".join(table_line(out, "SLIT") + table_line(out, "SRAT"))
    ev = r.event("acpi")
    assert ev["replaced"] == 0 and ev["added"] == 0 and ev["refused_modules"] == 6, ev
    assert ev["errors"] >= 12, ev  # the reason and the refusal, per module
