"""The load and fault test (``python manage.py loadtest``; docs/benchmarks.md): locust users in
``locustfile.py``, the local stack and its faults in ``stack.py``, the phases in ``run.py``."""
