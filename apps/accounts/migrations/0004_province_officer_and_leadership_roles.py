# Two province roles: the PC04 officer and the provincial leadership.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_role_groups'),
    ]

    operations = [
        migrations.AlterField(
            model_name='user',
            name='role',
            field=models.CharField(choices=[('administrator', 'Quản trị hệ thống'), ('leadership', 'Lãnh đạo UBND phường'), ('police', 'Cán bộ Công an phường'), ('khom_officer', 'Cán bộ khóm'), ('province', 'Cấp tỉnh (xem tổng hợp)'), ('province_officer', 'Cán bộ Công an tỉnh (PC04)'), ('province_leadership', 'Lãnh đạo UBND tỉnh')], default='khom_officer', max_length=20, verbose_name='vai trò'),
        ),
    ]
