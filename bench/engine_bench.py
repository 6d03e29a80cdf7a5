"""Benchmark of the pure selection engine: 50,000 seeded applicants in 20 departments.

Run: .venv/bin/python bench/engine_bench.py [--applicants N] [--departments D] [--runs R]
Prints the median wall (and CPU) time of ``run_selection`` over R runs (inputs built once,
outside the timing), then the peak memory of one extra run under tracemalloc and the
process ru_maxrss (which includes the inputs and the interpreter).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import sys
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from selection.engine import Adjustment, AllocationStrategy, ApplicantInput, BonusState, CallRules, DepartmentRules, Level, run_selection  # noqa: E402

FLAGS = (
    Adjustment.SAME_YEAR_STUDY_PRIMARY,
    Adjustment.LATE_WITHDRAWAL,
    Adjustment.NON_PRIORITISED_CHOICE,
    Adjustment.MISSED_ORIENTATION,
    Adjustment.MISSED_EXAM,
)
BONUSES = (Adjustment.DISABILITY, Adjustment.MARTYR_VETERAN_RELATIVE, Adjustment.PROTECTION_2828)


def build_inputs(applicants: int, departments: int, seed: int = 20221221):
    rng = random.Random(seed)
    depts = [
        DepartmentRules(
            f"D{i:02d}",
            written_min=Decimal(rng.choice((50, 55, 60, 65))),
            gpa_average=Decimal(rng.randint(250, 320)) / 100,
        )
        for i in range(departments)
    ]
    levels = (Level.ASSOCIATE, Level.BACHELOR, Level.BACHELOR, Level.BACHELOR, Level.MASTER, Level.DOCTORATE)
    people = []
    for n in range(applicants):
        level = rng.choice(levels)
        gpa = None if rng.random() < 0.03 else Decimal(rng.randint(180, 400)) / 100
        previous = Decimal(rng.randint(200, 400)) / 100 if gpa is None and rng.random() < 0.5 else None
        absent = rng.random() < 0.05
        has_result = rng.random() > 0.02
        written = None if absent or not has_result else Decimal(rng.randint(30, 100))
        listening = None if rng.random() < 0.1 else Decimal(rng.randint(0, 100))
        flags = frozenset(f for f in FLAGS if rng.random() < 0.04)
        bonuses = tuple(
            (code, rng.choice((BonusState.VERIFIED, BonusState.CLAIMED))) for code in BONUSES if rng.random() < 0.02
        )
        people.append(
            ApplicantInput(
                key=f"app-{n}",
                student_number=f"{2018000000 + n}",
                department_code=depts[rng.randrange(departments)].code,
                level=level,
                gpa=gpa,
                previous_degree_gpa=previous,
                written=written,
                listening=listening,
                absent=absent,
                has_exam_result=has_result,
                prior_participations=rng.choice((0,) * 20 + (1, 1, 2, 3)),
                flags=flags,
                bonuses=bonuses,
                sequence=n,
            )
        )
    rng.shuffle(people)
    return depts, people


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applicants", type=int, default=50_000)
    parser.add_argument("--departments", type=int, default=20)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--strategy", choices=[s.value for s in AllocationStrategy], default="department_round_robin")
    parser.add_argument("--formula", choices=["gpa_x25", "department_relative"], default="department_relative")
    args = parser.parse_args()

    depts, people = build_inputs(args.applicants, args.departments)
    rules = CallRules(places=args.applicants // 10, allocation=args.strategy, academic_formula=args.formula)

    timings, cpu_timings = [], []
    result = None
    for _ in range(args.runs):
        result = None  # free the previous run's result outside the timed section
        start, cpu_start = time.perf_counter(), time.process_time()
        result = run_selection(rules, depts, people)
        timings.append(time.perf_counter() - start)
        cpu_timings.append(time.process_time() - cpu_start)

    del result
    tracemalloc.start()
    result = run_selection(rules, depts, people)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    maxrss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(
        f"applicants={args.applicants} departments={args.departments} strategy={args.strategy} "
        f"formula={args.formula} places={rules.places}"
    )
    print(
        f"outcome: primaries={result.primaries} reserves={result.reserves} excluded={result.excluded}"
    )
    print(f"runs={args.runs} median={statistics.median(timings):.3f}s "
          f"min={min(timings):.3f}s max={max(timings):.3f}s (wall); "
          f"cpu median={statistics.median(cpu_timings):.3f}s")
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    print(f"tracemalloc peak during one run: {peak / 2**20:.1f} MiB")
    print(f"ru_maxrss (whole process, incl. inputs): {maxrss_kib / 1024:.1f} MiB")


if __name__ == "__main__":
    main()
