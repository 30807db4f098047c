"""Boot hotmm in QEMU from a test, talk to its shell, read its report.

    from qemu import boot, Skip
    r = boot("-m 512M", cmdline="selftest")          # runs until QEMU exits
    r.expect_status(33)
    r.event("memblock_ready")["memory"]              # a parsed @hotmm line

    iso = make_iso(["/tmp/x/srat.dat"], tmpdir)      # an ISO whose GRUB loads modules
    r = boot("-m 512M", iso=iso, commands=["acpi"])  # (ACPI table overrides)
    r = boot("-m 512M", uefi=True)                   # through OVMF (UEFI) instead of SeaBIOS

    with Machine("-m 4G") as m:                      # interactive
        m.wait_for("hotmm> ")
        out = m.command("meminfo")                   # text up to the next prompt
        m.qmp("query-memory-devices")                # QMP, when qmp=True

Every run has -no-reboot, isa-debug-exit on port 0xf4 and a time limit; a run
that hits the limit fails the test. Exit statuses: 33 selftest passed (or a
clean `poweroff`), 35 some selftest failed, 37 panic; anything else (QEMU's
own 1 for a bad option, 0 for a triple fault under -no-reboot) is a failure.
"""
import json
import os
import re
import select
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ISO = os.path.join(ROOT, "build", "hotmm.iso")
QEMU = "qemu-system-x86_64"
BASE = ["-no-reboot", "-display", "none", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
        "-accel", "tcg,thread=multi"]
PROMPT = "hotmm> "
EXIT_PASS, EXIT_FAIL, EXIT_PANIC = 33, 35, 37
EVENT_RE = re.compile(r"^@hotmm (\{.*\})\s*$", re.M)


class Skip(Exception):
    """Raise from a test to count it as skipped (with the reason)."""


def _fwcfg(cmdline):
    if not cmdline:
        return []  # QEMU rejects an empty fw_cfg string
    return ["-fw_cfg", "name=opt/hotmm/cmdline,string=" + cmdline.replace(",", ",,")]


def parse_events(text):
    out = []
    for m in EVENT_RE.finditer(text):
        try:
            out.append(json.loads(m.group(1)))
        except json.JSONDecodeError as e:
            raise AssertionError(f"malformed report line {m.group(0)!r}: {e}")
    return out


class Result:
    def __init__(self, args, output, status, timed_out):
        self.args, self.output, self.status, self.timed_out = args, output, status, timed_out
        self.events = parse_events(output)

    def tail(self, n=3000):
        return self.output[-n:]

    def expect_status(self, want=EXIT_PASS):
        if self.timed_out:
            raise AssertionError(f"QEMU timed out; args {self.args}\n--- serial tail ---\n{self.tail()}")
        if self.status != want:
            raise AssertionError(f"QEMU exit status {self.status}, wanted {want}\n--- serial tail ---\n{self.tail()}")

    def events_named(self, name):
        return [e for e in self.events if e.get("event") == name]

    def event(self, name):
        ev = self.events_named(name)
        if not ev:
            raise AssertionError(f"no @hotmm event {name!r} in output\n--- serial tail ---\n{self.tail()}")
        return ev[-1]


def make_iso(modules, tmpdir):
    """build/hotmm.iso's kernel on an ISO in `tmpdir` whose GRUB also loads each file
    in `modules` (module2 FILE BASENAME; see tools/mkiso.py). Returns its path."""
    sys.path.insert(0, os.path.join(ROOT, "tools"))
    import mkiso
    elf = os.path.join(ROOT, "build", "iso", "boot", "hotmm.elf")
    unstripped = os.path.join(ROOT, "build", "hotmm.elf")
    if not os.path.exists(elf) or os.path.getmtime(elf) < os.path.getmtime(unstripped):
        raise AssertionError(f"{elf} missing or older than {unstripped}: run make")
    return mkiso.make_iso(os.path.join(tmpdir, "hotmm.iso"), elf, modules)


# Debian's ovmf: the firmware (read only) and the template of its variable store.
OVMF_CODE = "/usr/share/OVMF/OVMF_CODE_4M.fd"
OVMF_VARS = "/usr/share/OVMF/OVMF_VARS_4M.fd"


def ovmf_missing():
    """Why OVMF cannot start here (a message for Skip), or None."""
    for f in (OVMF_CODE, OVMF_VARS):
        if not os.path.isfile(f):
            return f"UEFI firmware {f} missing (Debian package ovmf: tools/deps.sh test)"
    return None


def uefi_args(tmpdir):
    """pflash drives for OVMF; its variable store is a private copy in tmpdir.

    OVMF writes its variables (boot order, ...): a shared or system copy would
    be changed by every run, and /usr/share/OVMF must never be written."""
    why = ovmf_missing()
    if why:
        raise Skip(why)
    vars_copy = os.path.join(tmpdir, "OVMF_VARS.fd")
    with open(OVMF_VARS, "rb") as src, open(vars_copy, "wb") as dst:
        dst.write(src.read())
    return ["-drive", f"if=pflash,format=raw,unit=0,readonly=on,file={OVMF_CODE}",
            "-drive", f"if=pflash,format=raw,unit=1,file={vars_copy}"]


def media_args(media, iso=None):
    """The ISO as a CD, or as a USB stick it was written to with dd (snapshot: never written)."""
    iso = iso or ISO
    if media == "usb":
        return ["-drive", f"if=none,id=stick,format=raw,snapshot=on,file={iso}",
                "-device", "qemu-xhci", "-device", "usb-storage,drive=stick"]
    assert media == "cdrom", media
    return ["-cdrom", iso]


def qemu_argv(qemu_args, cmdline="", serial="stdio", iso=None, firmware=(), media="cdrom"):
    args = shlex.split(qemu_args) if isinstance(qemu_args, str) else list(qemu_args)
    if not any(a.startswith("-smp") for a in args):
        args += ["-smp", "1"]
    return ([QEMU] + BASE + list(firmware) + args + media_args(media, iso) + ["-serial", serial] +
            _fwcfg(cmdline))


def boot(qemu_args="-m 512M", cmdline="", timeout=120, commands=None, iso=None, uefi=False,
         media="cdrom"):
    """Boot, optionally type shell commands (then `poweroff`), wait for exit.

    uefi=True boots through OVMF instead of SeaBIOS (Skip if OVMF is missing);
    media="usb" boots the ISO as a USB stick instead of a CD."""
    if commands is not None:
        with Machine(qemu_args, cmdline, timeout=timeout, iso=iso, uefi=uefi, media=media) as m:
            m.wait_for(PROMPT)
            for c in commands:
                m.command(c)
            m.send("poweroff\n")
            return m.wait_exit()
    with tempfile.TemporaryDirectory(prefix="hotmm-fw-") as tmp:
        argv = qemu_argv(qemu_args, cmdline, iso=iso, firmware=uefi_args(tmp) if uefi else (),
                         media=media)
        try:
            p = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout)
            return Result(argv, p.stdout.decode("utf-8", "replace") + p.stderr.decode("utf-8", "replace"),
                          p.returncode, False)
        except subprocess.TimeoutExpired as e:
            out = (e.stdout or b"").decode("utf-8", "replace")
            return Result(argv, out, None, True)


class Machine:
    """A running QEMU with the serial console on a pipe (and QMP if asked)."""

    def __init__(self, qemu_args="-m 512M", cmdline="", timeout=120, qmp=False, iso=None,
                 uefi=False, media="cdrom"):
        self.deadline = time.time() + timeout
        self.buf = ""
        self.pos = 0  # how far wait_for has consumed
        extra = []
        self.qmp_path = None
        if uefi and ovmf_missing():
            raise Skip(ovmf_missing())
        self.fw_tmp = tempfile.mkdtemp(prefix="hotmm-fw-") if uefi else None
        firmware = uefi_args(self.fw_tmp) if uefi else ()
        if qmp:
            self.tmp = tempfile.mkdtemp(prefix="hotmm-qmp-")
            self.qmp_path = os.path.join(self.tmp, "qmp.sock")
            extra = ["-qmp", f"unix:{self.qmp_path},server=on,wait=off"]
        self.argv = qemu_argv(qemu_args, cmdline, iso=iso, firmware=firmware, media=media) + extra
        self.p = subprocess.Popen(self.argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT)
        self.qmp_sock = None
        self.qmp_events = []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        if self.p.poll() is None:
            self.p.kill()
            self.p.wait()
        if self.qmp_sock:
            self.qmp_sock.close()
        if self.fw_tmp:
            shutil.rmtree(self.fw_tmp, ignore_errors=True)

    def _read(self, until):
        r, _, _ = select.select([self.p.stdout], [], [], max(0.0, min(until - time.time(), 0.5)))
        if r:
            data = os.read(self.p.stdout.fileno(), 65536)
            if not data:
                return False
            self.buf += data.decode("utf-8", "replace")
        return True

    def wait_for(self, text, timeout=None):
        """Return output from the last match up to and including `text`."""
        until = min(self.deadline, time.time() + timeout) if timeout else self.deadline
        while True:
            i = self.buf.find(text, self.pos)
            if i >= 0:
                out = self.buf[self.pos:i + len(text)]
                self.pos = i + len(text)
                return out
            if time.time() > until or not self._read(until):
                if self.p.poll() is None and time.time() <= until:
                    continue
                raise AssertionError(f"waiting for {text!r}: " +
                                     ("timed out" if self.p.poll() is None else f"QEMU exited {self.p.returncode}") +
                                     f"\n--- serial tail ---\n{self.buf[-3000:]}")

    def wait_ready(self):
        """Wait for the prompt and for all boot RAM to be in the allocator.

        Deferred init runs in the background by default: the shell can be up
        before the last chunk of boot RAM is initialized."""
        self.wait_for(PROMPT)
        if '"event":"all_ram_allocatable"' not in self.buf:
            self.wait_for('"event":"all_ram_allocatable"')

    def send(self, text):
        # The UART has a 16-byte FIFO and TCG is slow: type like a person would.
        for i in range(0, len(text), 8):
            self.p.stdin.write(text[i:i + 8].encode())
            self.p.stdin.flush()
            time.sleep(0.002)

    def command(self, line, timeout=None):
        """Type a shell command; return what it printed (without the echo and prompt)."""
        self.send(line + "\n")
        out = self.wait_for(PROMPT, timeout)
        out = out[:-len(PROMPT)]
        first_nl = out.find("\n")
        return out[first_nl + 1:] if first_nl >= 0 else ""

    def events(self):
        return parse_events(self.buf)

    def wait_exit(self):
        while self.p.poll() is None:
            if time.time() > self.deadline:
                self.p.kill()
                self.p.wait()
                return Result(self.argv, self.buf, None, True)
            self._read(self.deadline)
        while self._read(time.time() + 0.1) and self.p.stdout and select.select([self.p.stdout], [], [], 0)[0]:
            pass
        return Result(self.argv, self.buf, self.p.returncode, False)

    # ---- QMP ----
    def _qmp_connect(self):
        if self.qmp_sock:
            return
        for _ in range(100):
            try:
                s = socket.socket(socket.AF_UNIX)
                s.connect(self.qmp_path)
                break
            except OSError:
                time.sleep(0.05)
        else:
            raise AssertionError("cannot connect to QMP")
        self.qmp_sock = s
        self.qmp_file = s.makefile("rw")
        json.loads(self.qmp_file.readline())  # greeting
        self.qmp("qmp_capabilities")

    def qmp(self, cmd, **arguments):
        self._qmp_connect()
        msg = {"execute": cmd}
        if arguments:
            msg["arguments"] = arguments
        self.qmp_file.write(json.dumps(msg) + "\n")
        self.qmp_file.flush()
        while True:
            reply = json.loads(self.qmp_file.readline())
            if "event" in reply:
                self.qmp_events.append(reply)
                continue
            if "error" in reply:
                raise AssertionError(f"QMP {cmd} failed: {reply['error']}")
            return reply.get("return")

    def qmp_wait_event(self, name, timeout=30):
        self._qmp_connect()
        until = time.time() + timeout
        while True:
            for i, ev in enumerate(self.qmp_events):
                if ev["event"] == name:
                    return self.qmp_events.pop(i)
            self.qmp_sock.settimeout(max(0.1, until - time.time()))
            try:
                line = self.qmp_file.readline()
            except socket.timeout:
                line = ""
            if line:
                self.qmp_events.append(json.loads(line))
            elif time.time() > until:
                raise AssertionError(f"no QMP event {name} within {timeout}s")


# ---- reading the shell's tables ----

def parse_zoneinfo(text):
    """{(node, zone): {"free":.., "spanned":.., "present":.., "managed":..}}"""
    out, key = {}, None
    for line in text.splitlines():
        m = re.match(r"Node (\d+), zone\s+(\w+)", line)
        if m:
            key = (int(m.group(1)), m.group(2))
            out[key] = {}
            continue
        m = re.match(r"\s+(?:pages )?(free|spanned|present|managed)\s+(\d+)", line)
        if m and key:
            out[key][m.group(1)] = int(m.group(2))
    return out


def parse_pagetypes(text):
    """{(node, zone): {type: pages}} and the summary line."""
    lines = text.splitlines()
    head = next(i for i, l in enumerate(lines) if l.startswith("node"))
    names = lines[head].split()[2:]
    table = {}
    for l in lines[head + 1:]:
        f = l.split()
        if len(f) == len(names) + 2 and f[0].isdigit() and all(x.isdigit() for x in f[2:]):
            table[(int(f[0]), f[1])] = dict(zip(names, map(int, f[2:])))
    return table
