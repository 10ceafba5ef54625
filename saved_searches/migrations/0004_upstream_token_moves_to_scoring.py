# The upstream limiter moved to the HrFlow service layer (scoring/hrflow/ratelimit.py) with its
# token table (scoring.UpstreamToken, scoring 0001). Tokens live for seconds: nothing to copy.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("saved_searches", "0003_convert_tag_syntax"),
        ("scoring", "0001_initial"),
    ]

    operations = [
        migrations.DeleteModel(
            name="UpstreamToken",
        ),
    ]
