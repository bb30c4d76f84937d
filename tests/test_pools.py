"""Process pools: work started beside the build, in a forked process of its own or in the build's."""

from __future__ import annotations

import os

import pytest

from generator import pools


@pytest.mark.parametrize("jobs", [1, 2])
def test_work_started_beside_gives_its_result_from_a_process_of_its_own_when_jobs_allow(jobs):
    if jobs > 1 and pools.fork_context() is None:
        pytest.skip("no fork on this platform: the work is always done in the build's process")
    numbers = list(range(10))  # the forked process inherits them
    with pools.started_beside(lambda: (os.getpid(), sum(numbers)), jobs) as result:
        numbers.append(100)  # after the fork: the process does not see it; one process does
        pid, total = result()
    assert (pid != os.getpid()) == (jobs > 1)
    assert total == (45 if jobs > 1 else 145)
