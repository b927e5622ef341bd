from django.contrib import admin

from bangfu.analytics.models import IndicatorRun, IndicatorValue


@admin.register(IndicatorValue)
class IndicatorValueAdmin(admin.ModelAdmin):
    list_display = ["unit", "key", "period", "value", "computed_at"]
    search_fields = ["unit", "key"]


@admin.register(IndicatorRun)
class IndicatorRunAdmin(admin.ModelAdmin):
    list_display = ["area_code", "as_of", "trigger", "started", "finished", "villages", "cells"]
