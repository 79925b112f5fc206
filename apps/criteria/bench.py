"""Bench data of criteria: each synthetic ward's residents and route flag per kỳ đánh giá, so that the
classification of every ward (Điều 4) and of the province (Điều 5) has rates to compute at province scale."""
from .models import WardYearData


def build_ward(bench):
    ward = bench.ward
    on_route = bench.number % 5 == 0  # one ward in five; no draw from the bench's generator, so no other data moves
    WardYearData.objects.bulk_create([
        WardYearData(ward=ward, year=year, residents=ward.population, on_drug_route=on_route,
                     note="Số liệu tổng hợp (bench)") for year in (2025, 2026)])
