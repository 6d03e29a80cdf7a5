"""The engine's pause of the cyclic garbage collector (selection.engine.runner.cyclic_gc_paused)."""

import gc
import weakref

from selection.engine.runner import cyclic_gc_paused


class _Node:
    pass


def _cycle() -> weakref.ref:
    node = _Node()
    node.self = node  # only the cyclic collector can free it
    return weakref.ref(node)


def test_the_collector_is_enabled_again_and_nothing_is_left_frozen():
    assert gc.isenabled()
    with cyclic_gc_paused():
        assert not gc.isenabled()
        kept = [_Node() for _ in range(1000)]
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
    del kept


def test_the_objects_made_during_the_pause_are_not_scanned_when_it_ends():
    collections = []

    def seen(phase, info):
        if phase == "start":
            collections.append(info["generation"])

    gc.callbacks.append(seen)  # before the pause: the scan would come with the first allocations after it
    try:
        with cyclic_gc_paused():
            kept = [_Node() for _ in range(5000)]  # far beyond the young generation's threshold
        more = [_Node() for _ in range(100)]
    finally:
        gc.callbacks.remove(seen)
    assert collections == []
    del kept, more


def test_a_cycle_made_during_the_pause_is_still_collected():
    with cyclic_gc_paused():
        ref = _cycle()
    assert ref() is not None
    gc.collect()
    assert ref() is None


def test_objects_frozen_by_the_process_stay_frozen():
    # A pre-fork server may freeze its start-up objects on purpose; the pause must not thaw them.
    gc.collect()
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with cyclic_gc_paused():
            _Node()
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()


def test_a_collector_disabled_by_the_caller_stays_disabled():
    gc.disable()
    try:
        with cyclic_gc_paused():
            pass
        assert not gc.isenabled()
        assert gc.get_freeze_count() == 0
    finally:
        gc.enable()
