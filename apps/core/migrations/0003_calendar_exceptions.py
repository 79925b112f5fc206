"""The working-day calendar's exceptions: announced days off and make-up working days (apps.core.workdays)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0002_auditevent_append_only'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='CalendarException',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='tạo lúc')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='cập nhật lúc')),
                ('date', models.DateField(verbose_name='ngày')),
                ('kind', models.CharField(choices=[('day_off', 'Ngày nghỉ'), ('working_day', 'Ngày làm việc (làm bù)')], max_length=20, verbose_name='loại')),
                ('name', models.CharField(help_text='Hiển thị cho người dùng, ví dụ “Làm bù cho thứ Hai 31/08/2026”.', max_length=200, verbose_name='tên')),
                ('legal_basis', models.CharField(blank=True, help_text='Văn bản công bố lịch nghỉ, hoán đổi ngày làm việc.', max_length=300, verbose_name='căn cứ')),
                ('checked', models.BooleanField(default=False, help_text='Bỏ trống khi chưa đối chiếu với văn bản gốc.', verbose_name='đã đối chiếu văn bản')),
                ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người tạo')),
            ],
            options={
                'verbose_name': 'ngày nghỉ, ngày làm bù',
                'verbose_name_plural': 'ngày nghỉ, ngày làm bù',
                'ordering': ['-date'],
                'constraints': [models.UniqueConstraint(fields=('date',), name='core_calendar_exception_unique_date', violation_error_message='Ngày này đã có trong danh sách ngày nghỉ, ngày làm bù.')],
            },
        ),
    ]
