"""DOC: labs.py - the six labs: where their text is and what checks them

LABS[n] names the lab's directory under labs/ and its title, the host test
cases that exercise the functions it cuts (binary -> cmocka cases, each
HOST_POINTS points; every case listed here fails on the cut tree - the
meta-test tests/lab/test_labs.py keeps it so: no free points), and the
in-QEMU checks: a boot with those options (and shell commands) that must
run the named selftests (kernel/selftest.h) to a pass and print the named
report lines; tests/qemu/test_lab_qemu.py checks that each fails on the cut
tree and passes on the full one.
"""
HOST_POINTS = 1

QEMU_POINTS = 5

LABS = {
    1: {
        "dir": "labs/1-memblock", "title": "memblock",
        "host": {"memblock": [
            'test_add_single', 'test_add_adjacent_merges',
            'test_add_adjacent_other_node_or_flags_stay_apart', 'test_add_overlapping',
            'test_add_overlap_keeps_existing_node', 'test_add_unsorted_is_sorted',
            'test_zero_size_and_wrap', 'test_empty_queries', 'test_emptied_list_reads_empty',
            'test_remove_splits_region', 'test_remove_across_regions', 'test_reserve_and_free',
            'test_alloc_top_down', 'test_alloc_bottom_up', 'test_alloc_skips_reserved',
            'test_alloc_alignment', 'test_alloc_range_limits', 'test_alloc_never_page_zero',
            'test_alloc_node_preference_and_fallback', 'test_alloc_current_limit',
            'test_alloc_exhaustion', 'test_alloc_skips_nomap_and_movable_hotplug',
            'test_alloc_virtual_zeroes_and_limits', 'test_alloc_raw_keeps_contents',
            'test_alloc_from_min_addr', 'test_alloc_exact_nid_raw', 'test_overlaps_region',
            'test_trim_memory', 'test_memory_array_full', 'test_reserved_array_full',
            'test_resize_refused_before_allow', 'test_resize_memory_from_memblock',
            'test_resize_avoids_range_being_changed', 'test_resize_reserved_from_memblock',
            'test_resize_failure_leaves_everything', 'test_resize_after_buddy_uses_kmalloc',
            'test_enforce_memory_limit_with_holes', 'test_set_node_splits_and_merges',
            'test_hotplug_flags', 'test_search_pfn_nid', 'test_is_memory_queries',
            'test_free_range_iterator', 'test_free_range_iterator_sums',
            'test_driver_managed_listed_not_allocated', 'test_walk_invalid_nid_means_all',
            'test_pfn_range_iterator', 'test_dump_format', 'test_debug_logs_callers',
            'test_random_against_model',
        ]},
        "qemu": [{
            "name": "boot_512m", "qemu": "-m 512M -smp 2", "cmdline": "selftest=meminfo_matches_memmap,alloc_orders",
            "selftests": ["meminfo_matches_memmap", "alloc_orders"],
            "events": [("memblock_ready", {}), ("all_ram_allocatable", {})], "points": QEMU_POINTS,
        }],
    },
    2: {
        "dir": "labs/2-buddy", "title": "the buddy allocator with per-CPU lists",
        "host": {"page_alloc": [
            'test_alloc_free_every_order', 'test_order_too_big', 'test_split_and_merge',
            'test_migratetype_fallback', 'test_exhaustion', 'test_pcp_hit_and_drain',
            'test_pcp_other_cpu', 'test_pcp_remote_drain_races_owner', 'test_zeroing',
            'test_node_preference', 'test_bad_frees_panic', 'test_walker_catches_corruption',
            'test_random_rounds',
        ]},
        "qemu": [{
            "name": "buddy_selftests", "qemu": "-m 512M -smp 2",
            "cmdline": "selftest=buddy_exhaust,alloc_orders,meminfo_matches_memmap",
            "selftests": ["buddy_exhaust", "alloc_orders", "meminfo_matches_memmap"], "points": QEMU_POINTS,
        }],
    },
    3: {
        "dir": "labs/3-sparse", "title": "sparse sections and vmemmap",
        "host": {
            "mm_init": [
                'test_pc_512m_counts', 'test_pc_page_types', 'test_report_lines',
                'test_boot_mem_variants_same_state', 'test_odd_sizes_and_holes', 'test_section_gap',
                'test_two_nodes', 'test_template_init', 'test_free_pages_core', 'test_sparse_altmap',
                'test_zone_span_grow_shrink', 'test_zone_span_shrink_sparse',
                'test_deferred_takeover_one_section', 'test_pgtable_allocator',
                'test_memblock_closed_after_handoff',
            ],
            "memory_hotplug": ["test_cycle_memmap_on_memory", "test_cycle_memmap_from_online_memory",
                               "test_fault_injection_memmap_from_buddy"],
        },
        "qemu": [{
            "name": "sections_hotplug", "qemu": "-m 1G -smp 2",
            "cmdline": "memhp_withhold=512M selftest=meminfo_matches_memmap,hotplug_pattern",
            "selftests": ["meminfo_matches_memmap", "hotplug_pattern"], "timeout": 240, "points": QEMU_POINTS,
        }],
    },
    4: {
        "dir": "labs/4-deferred-init", "title": "parallel deferred memmap init on the job runner",
        "host": {"mm_init": [
            'test_pc_512m_counts', 'test_pc_page_types', 'test_report_lines',
            'test_boot_mem_variants_same_state', 'test_odd_sizes_and_holes', 'test_section_gap',
            'test_two_nodes', 'test_free_pages_core', 'test_sparse_altmap',
            'test_zone_span_grow_shrink', 'test_zone_span_shrink_sparse',
            'test_deferred_takeover_one_section', 'test_pgtable_allocator',
            'test_memblock_closed_after_handoff',
        ]},
        "qemu": [{
            "name": "deferred_takeover", "qemu": "-m 2G -smp 2",
            "cmdline": "deferred_init=background deferred_init_hold selftest=deferred_takeover,meminfo_matches_memmap",
            "selftests": ["deferred_takeover", "meminfo_matches_memmap"],
            "events": [("memmap_init", {"phase": "deferred", "node": 0}), ("all_ram_allocatable", {})],
            "timeout": 240, "points": QEMU_POINTS,
        }],
    },
    5: {
        "dir": "labs/5-online-offline", "title": "online and offline of memory blocks",
        "host": {"memory_hotplug": [
            'test_cycle_memmap_on_memory', 'test_cycle_memmap_from_online_memory',
            'test_default_policy_and_memmap_param', 'test_refusals', 'test_offline_busy_page',
            'test_offline_range_all_or_nothing', 'test_pcp_pages_do_not_block',
            'test_balloon_fake_offline', 'test_notifier_veto', 'test_fault_injection_add',
            'test_fault_injection_memmap_from_buddy', 'test_online_range_all_or_nothing',
            'test_add_online_veto_at_each_block', 'test_window_of_another_node',
            'test_offline_range_veto_at_each_block', 'test_withhold_1g_blocks',
        ]},
        "qemu": [{
            "name": "online_offline_cycles", "qemu": "-m 1G -smp 2",
            "cmdline": "memhp_withhold=512M selftest=hotplug_pattern,hotplug_cycles,migrate_offline,"
                       "meminfo_matches_memmap",
            "selftests": ["hotplug_pattern", "hotplug_cycles", "migrate_offline", "meminfo_matches_memmap"],
            "timeout": 300, "points": QEMU_POINTS,
        }],
    },
    6: {
        "dir": "labs/6-acpi-dimm", "title": "ACPI DIMM hotplug (QEMU's memory-hotplug controller)",
        "host": {"memhp": [
            'test_coldplug_nodes_and_sizes', 'test_coldplug_odd_neighbour_refused_rest_goes_on',
            'test_coldplug_block_size_1g', 'test_unknown_pxm_uses_window_node',
            'test_outside_windows_added_with_warning', 'test_no_srat_forces_node0',
            'test_add_memory_failure_named', 'test_runtime_insert_on_gpe',
            'test_runtime_insert_refused_reports_ost', 'test_runtime_remove_ejects',
            'test_runtime_remove_busy_keeps_dimm', 'test_eject_command',
            'test_insert_and_remove_in_one_scan', 'test_polling_fallback',
        ]},
        "qemu": [{
            "name": "dimm_coldplug_eject",
            "qemu": "-m 512M,slots=2,maxmem=4G -smp 2 -object memory-backend-ram,id=m0,size=256M "
                    "-device pc-dimm,id=d0,memdev=m0",
            "cmdline": "", "commands": ["selftest meminfo_matches_memmap", "eject 0", "hotplug",
                                        "selftest meminfo_matches_memmap"],
            "selftests": ["meminfo_matches_memmap"],
            "events": [("memhp_add", {"slot": 0, "added": 256 << 20, "runtime": False}),
                       ("memhp_remove", {"slot": 0, "ret": 0, "ejected": True})],
            "timeout": 240, "points": QEMU_POINTS,
        }],
    },
}
