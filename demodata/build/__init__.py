"""Build-time pipeline for the demo snapshot (wheels → data/demo/).

Only `manage.py build_demo_data` imports this package; run-time code reads the snapshot
through `demodata.snapshot`, which must stay free of these heavier imports.
"""
