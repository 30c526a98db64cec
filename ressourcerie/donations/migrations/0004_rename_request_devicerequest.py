from django.db import migrations


class Migration(migrations.Migration):
    """``Request`` read like the HTTP request every view has: it is a device request. The rows,
    their ids and the allocations pointing at them stay."""

    dependencies = [
        ("donations", "0003_transition_record"),
    ]

    operations = [
        migrations.RenameModel(old_name="Request", new_name="DeviceRequest"),
    ]
