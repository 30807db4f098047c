"""The kernel on the network: virtio-net, lwIP, the HTTP service and the TCP shell.

What each scenario must give, stated here and not read back from the kernel:

- QEMU's user network (`-netdev user`) hands out 10.0.2.15/24 with gateway 10.0.2.2 by DHCP,
  and its virtio-net NIC has the MAC 52:54:00:12:34:56 unless told otherwise; connections from
  the host through hostfwd arrive from 10.0.2.2.
- `ip=ADDR/PREFIX,GW` sets the address instead; a malformed value is refused at boot (the
  option and what is allowed named) and DHCP is used. `net_rate=5` lets 5 requests a second
  through from one address; the next ones get 429 with Retry-After.
- /api/* answers parse as JSON and carry the same numbers as the serial shell's meminfo,
  zoneinfo and memory commands; /metrics parses as Prometheus text (every sample's metric has
  HELP and TYPE, values are numbers) with node_exporter's names.
- Without `net_token=` nothing changes over the network: POSTs get 403 and the TCP shell
  refuses mutating commands; with it a wrong token gets 403 / a refusal, the right one changes
  the machine. Every refusal is a log line naming the peer (10.0.2.2).
- Two TCP shell sessions at once each see only their own command's output.
- A headless chromium renders one cell per memory block (the page's own DOM), logs no console
  error, and shows a DIMM plugged over QMP.
- Under 50 clients for 30 s while a DIMM is plugged and unplugged, with slow clients that never
  finish their request, the serial shell keeps answering, and afterwards the slab caches and
  lwIP's pools hold what they held before.
"""
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import threading
import time

from qemu import Machine, PROMPT, ROOT, parse_zoneinfo

TOKEN = "test-token-42"
MAC = "52:54:00:12:34:56"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class NetMachine(Machine):
    """A Machine with a virtio-net NIC on QEMU's user network, HTTP and shell forwarded."""

    def __init__(self, cmdline="", mem="-m 512M,slots=4,maxmem=8G -object memory-backend-ram,id=dm0,size=1G "
                 "-device pc-dimm,id=dimm0,memdev=dm0", guest_ip="", timeout=180, qmp=False):
        self.http_port, self.shell_port = free_port(), free_port()
        fwd = (f"hostfwd=tcp:127.0.0.1:{self.http_port}-{guest_ip}:80,"
               f"hostfwd=tcp:127.0.0.1:{self.shell_port}-{guest_ip}:2323")
        args = (f"-smp 2 {mem} -netdev user,id=n0,{fwd} "
                f"-device virtio-net-pci,netdev=n0")
        super().__init__(args, cmdline, timeout=timeout, qmp=qmp)

    def wait_net(self):
        self.wait_ready()
        until = time.time() + 60
        while True:
            up = [e for e in self.events() if e["event"] == "net_up"]   # whole lines only
            if up:
                return up[-1]
            assert time.time() < until, "no net_up event in 60 s:\n" + self.buf[-3000:]
            self._read(time.time() + 0.5)

    def command(self, line, timeout=None):
        return super().command(line, timeout).replace("\r", "")

    def http(self, method, path, headers=None, timeout=30):
        c = http.client.HTTPConnection("127.0.0.1", self.http_port, timeout=timeout)
        try:
            c.request(method, path, headers=headers or {})
            r = c.getresponse()
            return r.status, r.getheader("Content-Type"), r.read().decode()
        finally:
            c.close()

    def get_json(self, path):
        status, ctype, body = self.http("GET", path)
        assert status == 200, f"GET {path}: {status} {body}"
        assert ctype.startswith("application/json"), ctype
        return json.loads(body)


IAC_RE = re.compile(rb"\xff[\xfb-\xfe].|\xff\xfa.*?\xff\xf0", re.S)


class Session:
    """One TCP shell session."""

    def __init__(self, port):
        self.s = socket.create_connection(("127.0.0.1", port), timeout=30)
        self.buf = b""
        self.read_until(PROMPT)

    def read_until(self, text, timeout=60):
        until = time.time() + timeout
        want = text.encode()
        while want not in self.buf:
            self.s.settimeout(max(0.1, until - time.time()))
            data = self.s.recv(65536)
            if not data:
                raise AssertionError(f"session closed waiting for {text!r}: {self.buf[-500:]!r}")
            self.buf += data
            if time.time() > until:
                raise AssertionError(f"timed out waiting for {text!r}: {self.buf[-500:]!r}")
        i = self.buf.index(want) + len(want)
        out, self.buf = self.buf[:i], self.buf[i:]
        return IAC_RE.sub(b"", out).decode("utf-8", "replace").replace("\r", "")

    def send(self, raw):
        self.s.sendall(raw.encode() if isinstance(raw, str) else raw)

    def command(self, line, timeout=60):
        """Run a line; return its output without the echoed line and the prompt."""
        self.send(line + "\r\n")
        out = self.read_until(PROMPT, timeout)[:-len(PROMPT)]
        return out.split("\n", 1)[1] if "\n" in out else ""

    def close(self):
        self.s.close()


def meminfo_kb(text):
    return {m.group(1): int(m.group(2)) for m in re.finditer(r"^(\w+):\s+(\d+) kB", text, re.M)}


def memory_blocks(text):
    """The `memory` command's blocks: id -> (state, node, source), source "boot" or "hotplug"."""
    return {int(m.group(1)): (m.group(2), int(m.group(3)), m.group(4))
            for m in re.finditer(r"^memory(\d+)\s+\S+\s+\[\S+\)\s+(\S+)\s+.*?\s(\d+)\s+\d+\s+\d+\s+(boot|hotplug)$",
                                 text, re.M)}


PROM_SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*"'
                         r'(,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*")*)?\})? (-?[0-9.eE+-]+|NaN|[+-]Inf)$')


def parse_prometheus(text):
    """Prometheus text format 0.0.4, strictly: {metric: [(labels, value)]}; raises on anything else."""
    helps, types, samples = {}, {}, {}
    assert text.endswith("\n"), "the exposition must end with a newline"
    for n, line in enumerate(text.split("\n")[:-1], 1):
        if line.startswith("# HELP "):
            name, _, h = line[7:].partition(" ")
            assert name not in helps, f"line {n}: second HELP for {name}"
            helps[name] = h
        elif line.startswith("# TYPE "):
            name, _, t = line[7:].partition(" ")
            assert t in ("counter", "gauge", "histogram", "summary", "untyped"), f"line {n}: type {t}"
            assert name not in samples, f"line {n}: TYPE for {name} after its samples"
            types[name] = t
        else:
            m = PROM_SAMPLE.match(line)
            assert m, f"line {n} is not a sample: {line!r}"
            name = m.group(1)
            assert name in types and name in helps, f"line {n}: {name} without TYPE/HELP"
            labels = dict(re.findall(r'([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"', m.group(3) or ""))
            samples.setdefault(name, []).append((labels, float(m.group(5))))
    return samples


# ---------------------------------------------------------------------------------------------

def test_dhcp_address_and_net_command():
    with NetMachine() as m:
        up = m.wait_net()
        assert (up["ip"], up["netmask"], up["gw"], up["dhcp"]) == ("10.0.2.15", "255.255.255.0", "10.0.2.2", True), up
        out = m.command("net")
        assert "inet 10.0.2.15 netmask 255.255.255.0 gateway 10.0.2.2 (DHCP)" in out, out
        assert f"ether {MAC}" in out and "link up" in out, out
        rx = int(re.search(r"RX packets (\d+)", out).group(1))
        assert rx >= 2, out     # at least the DHCP offer and ack
        assert re.search(r"^\s+TCP_PCB\s+\d+\s+\d+\s+128\s+0$", out, re.M), out


def test_q35_two_nodes():
    """The same on q35 (PCIe, MSI-X through ECAM) with two NUMA nodes, the DIMM on node 1."""
    mem = ("-machine q35 -m 1G,slots=4,maxmem=8G -object memory-backend-ram,id=r0,size=512M "
           "-object memory-backend-ram,id=r1,size=512M -numa node,nodeid=0,memdev=r0 "
           "-numa node,nodeid=1,memdev=r1 -object memory-backend-ram,id=dm0,size=512M "
           "-device pc-dimm,id=dimm0,memdev=dm0,node=1")
    with NetMachine(mem=mem) as m:
        up = m.wait_net()
        assert up["ip"] == "10.0.2.15", up
        bl = m.get_json("/api/blocks")
        nodes = {b["node"] for b in bl["blocks"]}
        assert nodes == {0, 1}, bl["blocks"]
        hot = [b for b in bl["blocks"] if b["hotplug"]]
        assert len(hot) == 4 and all(b["node"] == 1 and b["slot"] == 0 for b in hot), hot
        s = parse_prometheus(m.http("GET", "/metrics")[2])
        assert {l["node"] for l, _ in s["hotmm_zone_managed_pages"]} == {"0", "1"}


def test_static_address_and_bad_option():
    with NetMachine(cmdline="ip=10.0.2.20/24,10.0.2.2", guest_ip="10.0.2.20") as m:
        up = m.wait_net()
        assert (up["ip"], up["dhcp"]) == ("10.0.2.20", False), up
        assert "(static)" in m.command("net")
        assert m.http("GET", "/api/meminfo")[0] == 200     # reachable at the static address
    with NetMachine(cmdline="ip=10.0.2/24 net_rate=5") as m:
        up = m.wait_net()
        assert re.search(r"ip=10.0.2/24.*ADDR/PREFIX,GW", m.buf), m.buf[-3000:]
        assert up["dhcp"] is True and up["ip"] == "10.0.2.15", up
        # the request rate limit: 5 a second from one address, then 429 on the same connection
        c = http.client.HTTPConnection("127.0.0.1", m.http_port, timeout=30)
        statuses = []
        for _ in range(12):
            c.request("GET", "/api/zoneinfo")
            r = c.getresponse()
            r.read()
            statuses.append(r.status)
            if r.status == 429:
                assert r.getheader("Retry-After") == "1"
        c.close()
        assert statuses[:5] == [200] * 5 and 429 in statuses, statuses


def test_api_json_agrees_with_shell():
    with NetMachine() as m:
        m.wait_net()
        mi = m.get_json("/api/meminfo")
        shell = meminfo_kb(m.command("meminfo"))
        for k in ("MemTotal", "MemPresent", "Reserved", "VmemmapSelfHosted"):
            assert mi[k] == shell[k], (k, mi[k], shell[k])
        assert abs(mi["MemFree"] - shell["MemFree"]) < 4096, (mi["MemFree"], shell["MemFree"])

        zi = m.get_json("/api/zoneinfo")
        shell_zones = parse_zoneinfo(m.command("zoneinfo"))
        for z in zi["zones"]:
            sz = shell_zones[(z["node"], z["zone"])]
            for k in ("spanned", "present", "managed"):
                assert z[k] == sz[k], (z, sz)

        bl = m.get_json("/api/blocks")
        shell_blocks = memory_blocks(m.command("memory"))
        assert {b["id"]: (b["state"], b["node"], b["source"]) for b in bl["blocks"]} == shell_blocks, \
            (bl, shell_blocks)                                    # every cell is a block, boot RAM's too
        hot = [b for b in bl["blocks"] if b["hotplug"]]
        assert len(hot) == 8 and all(b["source"] == "hotplug" for b in hot), hot   # the 1 GiB DIMM
        assert bl["block_size"] == 128 << 20
        for b in bl["blocks"]:
            assert sum(b["pages"].values()) == 32768, b          # every page of the block counted once
        boot = [b for b in bl["blocks"] if not b["hotplug"]]
        assert len(boot) == 4 and all(b["block"] and b["source"] == "boot" and b["state"] == "online"
                                      for b in boot), boot       # 512 MiB of boot RAM, in 4 blocks

        ev = m.get_json("/api/events")
        names = [e["event"] for e in ev]
        assert names[0] == "kernel_entry" and "net_up" in names and "memhp_add" in names, names
        assert all(isinstance(e["ns"], int) for e in ev)

        h = m.get_json("/api/history")
        assert h["zones"] and all(len(s) == len(h["zones"]) + 1 for s in h["samples"]), h
        assert m.http("GET", "/nope")[0] == 404
        assert m.http("PUT", "/")[0] == 405
        status, _, body = m.http("GET", "/", headers={"X-Big": "x" * 5000})
        assert status == 431 and "longer than 4096" in body, (status, body)


def test_metrics_prometheus():
    with NetMachine() as m:
        m.wait_net()
        status, ctype, body = m.http("GET", "/metrics")
        assert status == 200 and ctype.startswith("text/plain; version=0.0.4"), (status, ctype)
        s = parse_prometheus(body)
        shell = meminfo_kb(m.command("meminfo"))
        assert s["node_memory_MemTotal_bytes"] == [({}, shell["MemTotal"] * 1024.0)]
        assert abs(s["node_memory_MemFree_bytes"][0][1] - shell["MemFree"] * 1024) < 16 << 20
        zones = {(l["node"], l["zone"]): v for l, v in s["hotmm_zone_managed_pages"]}
        for (nid, zone), z in parse_zoneinfo(m.command("zoneinfo")).items():
            assert zones[(str(nid), zone)] == z["managed"], (nid, zone)
        blocks = {l["block"]: (l["state"], v) for l, v in s["hotmm_memory_block_online"]}
        assert len(blocks) == 12 and all(v == 1 for _, v in blocks.values()), blocks
        assert s["node_network_receive_packets_total"][0][0] == {"device": "virtio-net0"}


def test_tcp_shell_two_sessions():
    with NetMachine() as m:
        m.wait_net()
        a, b = Session(m.shell_port), Session(m.shell_port)
        try:
            # both commands in flight at once: each session sees only its own output
            a.send("meminfo\r\n")
            b.send("zoneinfo\r\n")
            out_a, out_b = a.read_until(PROMPT), b.read_until(PROMPT)
            assert "MemTotal:" in out_a and "Node 0, zone" not in out_a, out_a
            assert "Node 0, zone" in out_b and "MemTotal:" not in out_b, out_b
            # line editing of one's own: backspace, Ctrl-U, history (up arrow)
            assert "up " in a.command("uptimx\x7fe")
            b.send("garbage\x15help\r\n")
            b.read_until("list commands")       # (Ctrl-U redraws the prompt first)
            b.read_until(PROMPT)
            a.send("\x1b[A\r\n")
            assert "uptime" in a.read_until("since kernel entry")   # the redrawn line, then its output
            a.read_until(PROMPT)
            # mutations refused without net_token=, with a log line naming the peer
            out = a.command("offline 33")
            assert "refused" in out and "net_token" in out, out
            m.wait_for("net: tcp-shell: refused 'offline' from 10.0.2.2", timeout=10)
            assert "online" in m.command("memory")          # nothing changed
        finally:
            a.close()
            b.close()


def test_token_rules():
    # no token on the command line: nothing changes over the network, whatever is sent
    with NetMachine() as m:
        m.wait_net()
        for h in ({}, {"Authorization": f"Bearer {TOKEN}"}):
            status, _, body = m.http("POST", "/api/offline?block=33", headers=h)
            assert status == 403 and "net_token" in body, (status, body)
        m.wait_for("net: http: refused '/api/offline' from 10.0.2.2: no net_token= configured", timeout=10)
        s = Session(m.shell_port)
        assert "stays read-only" in s.command(f"auth {TOKEN}")
        assert "refused" in s.command("offline 33")
        s.close()
        assert memory_blocks(m.command("memory"))[33][0] == "online"
    # with a token: wrong -> 403 and a log line, right -> the block goes offline and back
    with NetMachine(cmdline=f"net_token={TOKEN}", qmp=True) as m:
        m.wait_net()
        assert len(m.qmp("query-memory-devices")) == 1
        status, _, body = m.http("POST", "/api/offline?block=33", headers={"Authorization": "Bearer nope-nope"})
        assert status == 403 and "wrong token" in body, (status, body)
        m.wait_for("net: http: refused '/api/offline' from 10.0.2.2: wrong token", timeout=10)
        assert m.http("POST", "/api/offline?block=33")[0] == 403
        assert m.http("GET", "/api/offline?block=33")[0] == 405
        status, _, body = m.http("POST", "/api/offline?block=33", headers={"X-Hotmm-Token": TOKEN})
        assert status == 200 and json.loads(body)["ret"] == 0, body
        assert memory_blocks(m.command("memory"))[33][0] == "offline"
        blk = [b for b in m.get_json("/api/blocks")["blocks"] if b["id"] == 33][0]
        assert blk["state"] == "offline", blk
        status, _, body = m.http("POST", "/api/online?block=33&zone=sideways",
                                 headers={"Authorization": f"Bearer {TOKEN}"})
        assert status == 400 and "zone=" in body, body
        status, _, body = m.http("POST", "/api/online?block=33&zone=movable",
                                 headers={"Authorization": f"Bearer {TOKEN}"})
        assert status == 200, body
        assert memory_blocks(m.command("memory"))[33][0] == "online"
        s = Session(m.shell_port)
        assert "wrong token" in s.command("auth not-the-token")
        m.wait_for("net: tcp-shell: refused 'auth' from 10.0.2.2: wrong token", timeout=10)
        assert "refused" in s.command("offline 34")
        assert "may change" in s.command(f"auth {TOKEN}")
        s.command("offline 34")
        assert memory_blocks(m.command("memory"))[34][0] == "offline"
        s.close()
        # the page's eject button: the DIMM in slot 0 leaves, QEMU deletes it
        status, _, body = m.http("POST", "/api/eject?slot=0", headers={"Authorization": f"Bearer {TOKEN}"})
        assert status == 200 and "removed and ejected" in body, body
        m.qmp_wait_event("DEVICE_DELETED", timeout=60)
        assert m.qmp("query-memory-devices") == []
        assert not any(b["hotplug"] for b in m.get_json("/api/blocks")["blocks"])


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def chromium(url, *extra, budget_ms=6000):
    argv = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--enable-logging=stderr", "--v=0", f"--virtual-time-budget={budget_ms}",
            "--window-size=1280,1000", *extra, url]
    p = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    return p.stdout, p.stderr


def console_errors(stderr):
    return [l for l in stderr.splitlines()
            if "CONSOLE" in l and ("Uncaught" in l or "rror" in l or "Failed" in l)]


def test_page_in_chromium():
    assert CHROMIUM, "chromium is missing (tools/deps.sh test installs it)"
    with NetMachine(qmp=True) as m:
        m.wait_net()
        url = f"http://127.0.0.1:{m.http_port}/"
        dom, err = chromium(url, "--dump-dom")
        n_blocks = len(m.get_json("/api/blocks")["blocks"])
        cells = re.findall(r'class="cell [^"]*" data-block="(\d+)"', dom)
        assert len(cells) == n_blocks == 12, (len(cells), n_blocks, dom[:2000])
        assert not console_errors(err), console_errors(err)
        assert re.search(r'id="status"[^>]*>live', dom), re.search(r'id="status"[^<]*', dom)

        m.qmp("object-add", **{"qom-type": "memory-backend-ram", "id": "mem-pg", "size": 512 << 20})
        m.qmp("device_add", driver="pc-dimm", id="pg", memdev="mem-pg")
        m.wait_for('"event":"memhp_add"', timeout=60)     # (the coldplugged one was before the prompt)
        shot = os.path.join(ROOT, "build", "net-page.png")
        dom, err = chromium(url, "--dump-dom")
        chromium(url, f"--screenshot={shot}")
        cells = re.findall(r'class="cell [^"]*" data-block="(\d+)"', dom)
        assert len(cells) == n_blocks + 4, (len(cells), n_blocks)
        assert {"40", "41", "42", "43"} <= set(cells), cells   # the new DIMM's blocks, after the 1 GiB one
        assert not console_errors(err), console_errors(err)
        assert os.path.getsize(shot) > 10000


def _slab_and_pools(m):
    m.command("slabinfo")
    slab = [e for e in m.events() if e["event"] == "slabinfo"][-1]
    net = m.command("net")
    pools = {n: int(u) for n, u in re.findall(r"^  (\S+)\s+(\d+)\s+\d+\s+\d+\s+\d+$", net, re.M)}
    conns = re.search(r"http :80 (\d+)/", net).group(1)
    return slab["active_objs"], slab["num_objs"], pools, conns, net


def test_load_with_hotplug_and_slow_clients():
    with NetMachine(qmp=True) as m:
        m.wait_net()
        m.get_json("/api/meminfo")              # the walk cache and the first samples exist
        time.sleep(3)
        before = _slab_and_pools(m)
        counts = {"ok": 0, "limited": 0, "err": 0, "lat": []}
        kinds = {}
        lock = threading.Lock()

        def client(i, c):
            path = "/metrics" if i % 2 else "/api/meminfo"
            while time.time() < stop:
                try:
                    if c is None:
                        c = connect()
                    t0 = time.time()
                    c.request("GET", path)
                    r = c.getresponse()
                    r.read()
                    ok = r.status == 200 or ("limited" if r.status == 429 else False)
                    if ok is False:
                        with lock:
                            kinds[f"HTTP {r.status}"] = kinds.get(f"HTTP {r.status}", 0) + 1
                    if r.getheader("Connection") == "close":
                        c.close()
                        c = None
                except (OSError, http.client.HTTPException) as e:
                    ok = False
                    c = None
                    with lock:
                        kinds[repr(e)[:60]] = kinds.get(repr(e)[:60], 0) + 1
                with lock:
                    counts["limited" if ok == "limited" else "ok" if ok else "err"] += 1
                    if ok is True:
                        counts["lat"].append(time.time() - t0)
            if c:
                c.close()

        def connect():
            # QEMU's user network accepts host connections from a listen queue of one: a burst of
            # connects overflows it and the host retries the SYN seconds later. One at a time,
            # each proven by a request, as a client pool would ramp up.
            c = http.client.HTTPConnection("127.0.0.1", m.http_port, timeout=30)
            c.request("GET", "/api/zoneinfo")
            c.getresponse().read()
            return c

        slow = []
        for _ in range(10):     # never finish their request head
            s = socket.create_connection(("127.0.0.1", m.http_port), timeout=30)
            s.sendall(b"GET /api/meminfo HTTP/1.1\r\nHost: x\r\n")
            slow.append(s)
            time.sleep(0.05)
        conns = [connect() for _ in range(50)]
        stop = time.time() + 30
        threads = [threading.Thread(target=client, args=(i, conns[i])) for i in range(50)]
        for t in threads:
            t.start()
        serial_ok, plugs = 0, 0
        while time.time() < stop:
            m.qmp("object-add", **{"qom-type": "memory-backend-ram", "id": f"mem-l{plugs}", "size": 256 << 20})
            m.qmp("device_add", driver="pc-dimm", id=f"l{plugs}", memdev=f"mem-l{plugs}")
            t0 = time.time()
            assert "since kernel entry" in m.command("uptime", timeout=20)
            serial_ok += 1
            m.qmp("device_del", id=f"l{plugs}")
            m.qmp_wait_event("DEVICE_DELETED", timeout=60)
            m.qmp("object-del", id=f"mem-l{plugs}")
            assert "since kernel entry" in m.command("uptime", timeout=20)
            serial_ok += 1
            plugs += 1
        for t in threads:
            t.join()
        # the slow clients were cut off by the idle timeout (10 s), with a 408
        for s in slow:
            s.settimeout(5)
            try:
                data = s.recv(4096)
            except OSError:
                data = b""
            assert data.startswith(b"HTTP/1.1 408") or data == b"", data
            s.close()
        time.sleep(4)           # TIME_WAIT is 2 s here
        after = _slab_and_pools(m)
        lat = sorted(counts["lat"])
        print(f"load: {counts['ok']} ok, {counts['limited']} 429 (net_rate), {counts['err']} failed, "
              f"{plugs} plug/unplug cycles, "
              f"{serial_ok} serial commands, median {lat[len(lat) // 2] * 1000:.0f} ms, "
              f"p99 {lat[int(len(lat) * 0.99)] * 1000:.0f} ms")
        assert counts["ok"] > 100 and counts["err"] == 0, (counts["ok"], counts["err"], kinds, after[4])
        assert plugs >= 1
        assert after[3] == "0", after[4]
        assert before[2] == after[2], (before[4], after[4])
        assert before[0] == after[0], (before[:2], after[:2])
