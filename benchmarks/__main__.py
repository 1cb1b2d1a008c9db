"""``python -m benchmarks``: the whole benchmark suite (see :mod:`benchmarks.suite`)."""

from benchmarks.suite import main

raise SystemExit(main())
