# Fields for the official units: kind, province code, and the flag of illustrative figures.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('khom', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='ward',
            name='is_illustrative',
            field=models.BooleanField(db_default=False, default=False, help_text='Số liệu của đơn vị này là số liệu mẫu để trình diễn, không phải số liệu thật; mọi trang hiển thị nhãn “số liệu minh họa” cạnh tên đơn vị.', verbose_name='số liệu minh họa'),
        ),
        migrations.AddField(
            model_name='ward',
            name='kind',
            field=models.CharField(choices=[('xa', 'Xã'), ('phuong', 'Phường'), ('dac_khu', 'Đặc khu')], db_default='phuong', default='phuong', max_length=10, verbose_name='loại đơn vị'),
        ),
        migrations.AddField(
            model_name='ward',
            name='province_code',
            field=models.CharField(db_default='91', default='91', max_length=2, verbose_name='mã tỉnh'),
        ),
    ]
