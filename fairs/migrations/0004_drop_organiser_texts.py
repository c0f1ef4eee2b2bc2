from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("fairs", "0003_existing_fairs")]

    operations = [
        migrations.RemoveField(model_name="fair", name="organisers"),
        migrations.RemoveField(model_name="fair", name="co_organisers"),
        migrations.RemoveField(model_name="participation", name="booth_code"),
    ]
