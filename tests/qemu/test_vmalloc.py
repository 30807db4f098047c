"""The movable heap (mm/vmalloc.c) in QEMU (TCG, thread=multi): selftest=vmalloc_movable.

What each part must give, stated here and not read back from the kernel:

- vmalloc_patterns: 14 sizes from 1 byte to 3 MiB + 123 (1140 pages in all), each
  mapped exactly, a guard page after it, its pages owned by the heap; freed ranges reused;
  a bad vfree and an allocation failing midway change nothing; newlib's malloc puts 64 KiB
  and up in the heap; at the end the heap is empty again and the free pages are back.
- vmalloc_fault_hook: the #PF hook says "retry" only for a mapped heap page, never for a guard
  page, an unmapped heap address or an address outside the heap; on a migration entry another
  CPU stays in it until the PTE is back, then says "retry".
- vmalloc_migrate_reader: the other CPU reads every word of a heap page in turn while this
  CPU moves the page 4000 times (targets poisoned before the copy, old pages poisoned after
  the move): every read gives the pattern, and the reader met a migration entry at least once.
- vmalloc_migrate_writer: the other CPU increments a word of the page (load, add, store)
  during 4000 moves: the word equals the number of increments (no write lost in an old page).
- Once the migration core (migrate_page_to) is in the tree, half of the moves go through it
  (core_moves 2000), else none.
- In both, a move of a page pinned after isolation fails with -EBUSY (-16).
- vmalloc_vfree_during_move: vfree on another CPU while a page of the area is isolated: the
  area's other page is refused isolation, vfree waits with both pages still mapped until the
  move ends, then the area is unmapped and the page the move put there is freed.
- vmalloc_movable_node on node 0 puts every page on node 0 (boot without SRAT: one node).
- With one CPU the migration parts are skipped with a reason and QEMU still exits 33.
"""
from qemu import boot

PATTERN_BYTES = (1 + 1 + 1 + 1 + 2 + 3 + 16 + 16 + 17 + 50 + 256 + 769 + 5 + 2) * 4096


def test_vmalloc_movable_smp2():
    r = boot("-m 512M -smp 2", cmdline="selftest=vmalloc_movable", timeout=240)
    r.expect_status(33)
    assert r.event("smp_ready")["online"] == 2
    pat = r.event("vmalloc_patterns")
    assert pat["ok"] is True and pat["sizes"] == 14 and pat["bytes"] == PATTERN_BYTES, pat
    assert pat["reused"] >= 3, pat
    assert "is inside an area, not its start; ignored" in r.output      # the bad vfree, said why
    assert "all given back" in r.output                                 # the failed allocation, said why
    assert pat["free_pages_after"] + 32 >= pat["free_pages_before"], pat
    fh = r.event("vmalloc_fault_hook")
    assert fh["guard"] is False and fh["outside"] is False and fh["unmapped"] is False, fh
    assert fh["mapped"] is True and fh["waited_on_entry"] is True and fh["retry_after_entry"] is True, fh
    rd = r.event("vmalloc_migrate_reader")
    assert rd["moves"] == 4000 and rd["moved"] == 4000 and rd["core_moves"] in (0, 2000), rd
    assert rd["bad"] == 0 and rd["reads"] > 0, rd
    assert rd["fault_waits"] > 0, rd
    assert rd["pinned_move"] == -16, rd
    assert rd["cpu"] != 0, rd
    wr = r.event("vmalloc_migrate_writer")
    assert wr["moves"] == 4000 and wr["moved"] == 4000 and wr["core_moves"] == rd["core_moves"], wr
    assert wr["increments"] > 0 and wr["counter"] == wr["increments"], wr
    assert wr["fault_waits"] > 0, wr
    assert wr["pinned_move"] == -16, wr
    fr = r.event("vmalloc_vfree_during_move")
    assert fr["refused"] is True and fr["waited"] is True, fr
    assert fr["mapped_while_waiting"] == 8192 and fr["mapped_after"] == 0, fr
    assert fr["target_freed"] is True and fr["areas_left"] == 0, fr
    cases = {e["name"]: e for e in r.events_named("selftest_case")}
    assert cases["vmalloc_movable"]["ok"] is True, cases


def test_vmalloc_movable_one_cpu():
    r = boot("-m 512M -smp 1", cmdline="selftest=vmalloc_movable", timeout=120)
    r.expect_status(33)
    assert r.event("vmalloc_patterns")["ok"] is True
    assert "migration parts skipped" in r.output
    assert not r.events_named("vmalloc_migrate_writer")
