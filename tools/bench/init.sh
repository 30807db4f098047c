#!/bin/busybox sh
# DOC: init.sh - /init of the Linux-side benchmark initramfs (tools/bench)
#
# Runs as PID 1 under Debian's kernel booted with `console=ttyS0 quiet`.
# The kernel prints nothing on the console, so the first line this script
# prints is the host-wall-clock marker: by the time /init runs, Linux's
# deferred struct-page init has finished (page_alloc_init_late() waits for it
# before the initcalls and before /init), so all boot RAM is in the allocator.
# Everything after the marker only reports facts the kernel already logged;
# the harness (tools/bench/bench.py) turns them into numbers. Each line is
#     @linux {"event":NAME,...}
# and the last one is init_done, after which the machine powers off.
echo '@linux {"event":"init_start"}'

export PATH=/bin
busybox mount -t proc proc /proc
busybox mount -t sysfs sysfs /sys

# DIMM onlining, when the command line says hotmm_bench=online_movable
# (or =online): the kernel booted with memhp_default_state=offline, so the
# blocks of the coldplugged DIMMs are the offline ones. Each loop is bracketed
# by two lines written to /dev/kmsg: their printk stamps (microseconds, the
# kernel's clock) time it; busybox's date has no sub-second format and
# /proc/uptime ticks in 10 ms. The harness reads the marks from the dmesg dump
# below. MemTotal before and after onlining tells how much of the DIMM became
# managed memory: what is missing is the memmap Linux put on the DIMM itself
# (memory_hotplug.memmap_on_memory), the rest of the memmap came from boot RAM.
bench=$(busybox sed -n 's/.*hotmm_bench=\([a-z_]*\).*/\1/p' /proc/cmdline)
memtotal() { busybox awk '/^MemTotal:/ { print $2 }' /proc/meminfo; }
case $bench in online|online_movable|online_kernel)
	busybox mount -t devtmpfs devtmpfs /dev 2>/dev/null
	bs=$(busybox printf '%d' 0x$(busybox cat /sys/devices/system/memory/block_size_bytes))
	blocks=
	n=0
	for m in /sys/devices/system/memory/memory*; do
		[ "$(busybox cat $m/state)" = offline ] || continue
		blocks="$blocks $m"
		n=$((n + 1))
	done
	before=$(memtotal)
	fail=
	echo "<6>hotmm_bench: online start" >/dev/kmsg
	for m in $blocks; do
		echo "$bench" >$m/state || { fail="$fail ${m##*/}"; }
	done
	echo "<6>hotmm_bench: online end" >/dev/kmsg
	after=$(memtotal)
	echo "@linux {\"event\":\"dimm_online\",\"how\":\"$bench\",\"blocks\":$n,\"block_bytes\":$bs,\"memtotal_before_kB\":$before,\"memtotal_after_kB\":$after,\"failed\":\"${fail# }\"}"
	fail=
	echo "<6>hotmm_bench: offline start" >/dev/kmsg
	for m in $blocks; do
		echo offline >$m/state || { fail="$fail ${m##*/}"; }
	done
	echo "<6>hotmm_bench: offline end" >/dev/kmsg
	echo "@linux {\"event\":\"dimm_offline\",\"blocks\":$n,\"memtotal_kB\":$(memtotal),\"failed\":\"${fail# }\"}"
	;;
esac

# Runtime plug (hotmm_bench=plug hotmm_bench_mib=SIZE): the harness device_adds
# a DIMM of SIZE MiB over QMP once plug_ready is out, and device_dels it after
# plug_online. The kernel onlines it by memhp_default_state; /init only watches
# MemTotal and says when all of it is managed memory (less 64 B per 4 KiB
# page, in case its memmap went on the DIMM), and when it is gone.
# The loops use no command that forks (read is a shell builtin, and a read
# with a timeout on an idle FIFO is the sleep): a fork costs milliseconds
# under TCG and would be charged to Linux. The plug is polled every 10 ms
# (at 2 ms the polling itself slowed the onlining: 500 ms against 300), so
# up to 10 ms of Linux's figure is the poll; the unplug is timed by QEMU's
# DEVICE_DELETED, so its loop only has to end, and wakes every 50 ms.
if [ "$bench" = plug ]; then
	mib=$(busybox sed -n 's/.*hotmm_bench_mib=\([0-9]*\).*/\1/p' /proc/cmdline)
	busybox mkfifo /plugwait
	exec 3<>/plugwait
	read -r _ kb0 _ </proc/meminfo
	# All of it managed, less the memmap a kernel may have put on the DIMM (1/64).
	want=$((kb0 + mib * 1024 - mib * 16))
	echo "@linux {\"event\":\"plug_ready\",\"memtotal_kB\":$kb0,\"mib\":$mib}"
	kb=$kb0
	while [ "$kb" -lt "$want" ]; do
		read -t 0.01 _ <&3
		read -r _ kb _ </proc/meminfo
	done
	echo "@linux {\"event\":\"plug_online\",\"memtotal_kB\":$kb}"
	while [ "$kb" -gt "$kb0" ]; do
		read -t 0.05 _ <&3
		read -r _ kb _ </proc/meminfo
	done
	echo "@linux {\"event\":\"plug_removed\",\"memtotal_kB\":$kb}"
fi

# virtio-mem (hotmm_bench=virtio_mem): load Debian's virtio modules (linux-side.sh
# put them in /lib/modules, in dependency order), wait for virtio_mem to bind,
# say vmem_ready; the harness resizes the device over QMP and times it by QEMU's
# own size property, then types "done" on the console.
if [ "$bench" = virtio_mem ]; then
	for m in virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci virtio_mem; do
		busybox insmod /lib/modules/$m.ko || echo "@linux {\"event\":\"insmod_failed\",\"module\":\"$m\"}"
	done
	n=0
	while ! busybox ls /sys/bus/virtio/drivers/virtio_mem/ 2>/dev/null | busybox grep -q virtio; do
		busybox sleep 0.1
		n=$((n + 1))
		[ $n -lt 100 ] || break
	done
	read -r _ kb0 _ </proc/meminfo
	echo "@linux {\"event\":\"vmem_ready\",\"memtotal_kB\":$kb0}"
	read -r _
	read -r _ kb _ </proc/meminfo
	echo "@linux {\"event\":\"vmem_done\",\"memtotal_kB\":$kb}"
fi

# Migration (hotmm_bench=migrate hotmm_bench_base_mib=B hotmm_bench_mib=S
# hotmm_bench_pct=P): migfill (migfill.c) onlines the DIMM at [B, B+S) MiB
# movable, fills P% of ZONE_MOVABLE with anonymous memory, offlines the
# DIMM's blocks timed with CLOCK_MONOTONIC and prints @linux migrate_offline.
if [ "$bench" = migrate ]; then
	arg() { busybox sed -n "s/.*hotmm_bench_$1=\([0-9]*\).*/\1/p" /proc/cmdline; }
	/bin/migfill "$(arg base_mib)" "$(arg mib)" "$(arg pct)"
fi

# Why JSON from awk: the dmesg text needs quotes and backslashes escaped.
jstr='function j(s) { gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); gsub(/\t/, " ", s); return "\"" s "\"" }'

echo "@linux {\"event\":\"uptime\",\"s\":$(busybox cut -d' ' -f1 /proc/uptime)}"

# printk stamps count from sched_clock's start early in setup_arch (TSC), not
# from QEMU start: they are the kernel's own clock.
busybox dmesg | busybox awk "$jstr"'
/hotmm_bench:|deferred pages initialised|Freeing unused kernel image|Run \/init as init process|BIOS-e820:|smpboot: Total of|Memory: [0-9]+K\/|NODE_DATA|Initmem setup node|Zone ranges|  (DMA|DMA32|Normal|Movable) +\[|SRAT: Node|Trying to unpack rootfs|Freeing initrd memory/ {
	if (match($0, /^\[ *[0-9]+\.[0-9]+\] /)) {
		t = substr($0, 2, RLENGTH - 3); sub(/^ +/, "", t)
		msg = substr($0, RLENGTH + 1)
		printf "@linux {\"event\":\"dmesg\",\"t\":%s,\"msg\":%s}\n", t, j(msg)
	}
}'

# The firmware (e820) map as the kernel received it: the denominators.
for d in /sys/firmware/memmap/*; do
	[ -r "$d/start" ] || continue
	echo "@linux {\"event\":\"memmap\",\"start\":\"$(busybox cat $d/start)\",\"end\":\"$(busybox cat $d/end)\",\"type\":\"$(busybox cat $d/type)\"}"
done

busybox awk '
/^(MemTotal|MemFree|MemAvailable):/ { f = f sprintf("%s\"%s_kB\":%s", sep, substr($1, 1, length($1) - 1), $2); sep = "," }
END { print "@linux {\"event\":\"meminfo\"," f "}" }' /proc/meminfo

echo "@linux {\"event\":\"cpus\",\"online\":\"$(busybox cat /sys/devices/system/cpu/online)\"}"
echo '@linux {"event":"init_done"}'
busybox poweroff -f
# poweroff -f does not return; if ACPI power-off failed, say so and stop.
echo '@linux {"event":"poweroff_failed"}'
while :; do busybox sleep 3600; done
