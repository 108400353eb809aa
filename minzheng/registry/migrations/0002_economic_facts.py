"""Dated economic facts of persons and households (docs/adr/0011-economic-facts.md)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='HouseholdAssetFact',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('valid_from', models.DateField(verbose_name='起始日期')),
                ('origin', models.CharField(choices=[('declared', '申报'), ('verified', '经济状况核对认定'), ('feed', '部门数据')], max_length=16, verbose_name='来源')),
                ('evidence_kind', models.CharField(blank=True, max_length=32, verbose_name='依据类型')),
                ('evidence_id', models.CharField(blank=True, max_length=64, verbose_name='依据编号')),
                ('evidence_label', models.CharField(blank=True, max_length=200, verbose_name='依据')),
                ('recorded_by', models.CharField(max_length=150, verbose_name='登记人')),
                ('recorded_at', models.DateTimeField(auto_now_add=True, verbose_name='登记时间')),
                ('monetary_assets_fen', models.BigIntegerField(verbose_name='货币财产（分）')),
                ('securities_fen', models.BigIntegerField(default=0, verbose_name='证券（分）')),
                ('private_cars', models.PositiveSmallIntegerField(verbose_name='机动车辆')),
                ('homes', models.PositiveSmallIntegerField(verbose_name='住房套数')),
                ('medical_oop_12m_fen', models.BigIntegerField(verbose_name='近12个月自负医疗费（分）')),
                ('household', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='asset_facts', to='registry.household')),
            ],
            options={
                'verbose_name': '家庭财产',
                'verbose_name_plural': '家庭财产',
                'ordering': ['household', '-valid_from', '-id'],
                'indexes': [models.Index(fields=['household', 'valid_from', 'id'], name='asset_fact_in_force')],
                'constraints': [models.CheckConstraint(condition=models.Q(('monetary_assets_fen__gte', 0), ('securities_fen__gte', 0), ('medical_oop_12m_fen__gte', 0)), name='asset_fact_not_negative')],
            },
        ),
        migrations.CreateModel(
            name='PersonIncomeFact',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('valid_from', models.DateField(verbose_name='起始日期')),
                ('origin', models.CharField(choices=[('declared', '申报'), ('verified', '经济状况核对认定'), ('feed', '部门数据')], max_length=16, verbose_name='来源')),
                ('evidence_kind', models.CharField(blank=True, max_length=32, verbose_name='依据类型')),
                ('evidence_id', models.CharField(blank=True, max_length=64, verbose_name='依据编号')),
                ('evidence_label', models.CharField(blank=True, max_length=200, verbose_name='依据')),
                ('recorded_by', models.CharField(max_length=150, verbose_name='登记人')),
                ('recorded_at', models.DateTimeField(auto_now_add=True, verbose_name='登记时间')),
                ('earned_fen', models.BigIntegerField(verbose_name='月均劳动收入（分）')),
                ('pension_fen', models.BigIntegerField(verbose_name='月养老金（分）')),
                ('other_fen', models.BigIntegerField(verbose_name='月均其他收入（分）')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='income_facts', to='registry.person')),
            ],
            options={
                'verbose_name': '人员收入',
                'verbose_name_plural': '人员收入',
                'ordering': ['person', '-valid_from', '-id'],
                'indexes': [models.Index(fields=['person', 'valid_from', 'id'], name='income_fact_in_force')],
                'constraints': [models.CheckConstraint(condition=models.Q(('earned_fen__gte', 0), ('pension_fen__gte', 0), ('other_fen__gte', 0)), name='income_fact_not_negative')],
            },
        ),
    ]
