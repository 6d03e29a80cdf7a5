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
    # The frozen count is not compared: an object frozen with the rest may be freed meanwhile
    # (its count then drops by one without anything thawing). A known object is looked for instead:
    # the collector's generations (gc.get_objects) do not hold frozen objects.
    startup = [_Node()]
    gc.collect()
    gc.freeze()
    try:
        with cyclic_gc_paused():
            _Node()
        assert gc.get_freeze_count() > 0
        assert not any(obj is startup for obj in gc.get_objects())
    finally:
        gc.unfreeze()
    assert any(obj is startup for obj in gc.get_objects())  # the check can see a thawed object


def test_a_collector_disabled_by_the_caller_stays_disabled():
    gc.disable()
    try:
        with cyclic_gc_paused():
            pass
        assert not gc.isenabled()
        assert gc.get_freeze_count() == 0
    finally:
        gc.enable()
