"""Policy pages: parameter browser, calculator, CPI data, one-off grants,
monthly batch results. Thin: forms → services/selectors → templates."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from minzheng.core.bounds import upload_check
from minzheng.core.models import DivisionLevel
from minzheng.core.permissions import can, require
from minzheng.core.pickers import bind_pickers
from minzheng.core.scope import Scope
from minzheng.eligibility import forms, selectors, services
from minzheng.eligibility.calculator import prefill_from_registry
from minzheng.eligibility.cpi_import import TEMPLATE, CpiProblem, cpi_import
from minzheng.eligibility.evaluation import evaluate_payload
from minzheng.eligibility.jobs import POLICY_BATCH
from minzheng.jobs.services import job_start
from minzheng.registry.models import Household
from policy import InputError
from policy.money import parse_yuan


def _this_month() -> str:
    return timezone.localdate().strftime("%Y-%m")


@login_required
def parameter_list(request: HttpRequest) -> HttpResponse:
    return render(request, "eligibility/parameters.html", {"parameters": selectors.parameter_catalogue()})


# The member check boxes the calculator sends as the engine's booleans.
CALCULATOR_FLAGS = ("hukou_shanghai", "employed", "in_school", "able_to_work", "has_able_supporter", "orphan",
                    "unsupported_child", "in_institution", "unemployment_insurance", "unemployment_subsidy", "youfu")


def _payload(household_form, member_forms) -> dict:
    """The engine's household JSON from the calculator's forms; income always
    in the split form (劳动收入 / 其他收入, REFERENCE §1)."""
    data = household_form.cleaned_data
    members = []
    for form in member_forms:
        m = form.cleaned_data
        if not m or form in getattr(member_forms, "deleted_forms", []):
            continue
        member = {"id": m["id"], "birth_date": m["birth_date"].isoformat(),
                  "earned_income_yuan": str(m["earned_income_yuan"]), "other_income_yuan": str(m["other_income_yuan"])}
        for flag in CALCULATOR_FLAGS:
            member[flag] = bool(m.get(flag))
        if m.get("disability_grade"):
            member["disability"] = {"grade": int(m["disability_grade"]), "kind": m["disability_kind"]}
        if m.get("care_level"):
            member["care_assessment"] = {"level": int(m["care_level"]), "assessed_on": m["care_assessed_on"].isoformat()}
        members.append(member)
    payload = {
        "month": data["month"],
        "household": {
            "id": "calculator",
            "monetary_assets_yuan": str(data["monetary_assets_yuan"]),
            "private_cars": data["private_cars"], "homes": data["homes"],
            "medical_out_of_pocket_12m_yuan": str(data["medical_out_of_pocket_12m_yuan"]),
            "members": members,
        },
    }
    if data.get("cpi_all") is not None:
        payload["cpi"] = {"all_yoy_pct": str(data["cpi_all"]), "food_yoy_pct": str(data["cpi_food"])}
    return payload


@login_required
def calculator(request: HttpRequest) -> HttpResponse:
    """政策计算器: enter a household, or open it from a household page
    (``?household=ID``) pre-filled from the registry."""
    context: dict = {"result": None, "problems": None, "source_household": None}
    prefill_data = {"household": request.GET.get("household", ""), "month": request.GET.get("month") or _this_month()}
    prefill = bind_pickers(forms.HouseholdPrefillForm(initial=prefill_data), request.user)
    context["prefill_form"] = prefill
    if request.method == "POST":
        household_form = forms.CalculatorHouseholdForm(request.POST)
        member_forms = forms.MemberFormSet(request.POST, prefix="m")
        if household_form.is_valid() and member_forms.is_valid():
            payload = _payload(household_form, member_forms)
            try:
                context["result"] = evaluate_payload(payload)
            except InputError as err:
                context["problems"] = err.problems
    else:
        month = request.GET.get("month") or _this_month()
        initial, members = {"month": month}, None
        household_id = request.GET.get("household")
        if household_id:
            try:
                initial, members, household = prefill_from_registry(request.user, int(household_id), month)
            except (ValueError, Household.DoesNotExist) as err:
                raise Http404("未找到该家庭") from err
            context["source_household"] = household
        household_form = forms.CalculatorHouseholdForm(initial=initial)
        member_forms = forms.MemberFormSet(prefix="m", initial=members)
    context.update({"household_form": household_form, "member_forms": member_forms,
                    "income_rules": selectors.calculator_income_rules()})
    if context["result"]:
        context["rows"] = _result_rows(context["result"], parameter_names=selectors.parameter_names())
    return render(request, "eligibility/calculator.html", context)


def _parameter_text(value: object) -> str:
    """A parameter value as staff read it: a band table as "65岁起 75；70岁起 150…"."""
    if value is None:
        return "该月无生效值"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "；".join("起 ".join(str(v) for v in row.values()) for row in value)
    return str(value)


def _result_rows(result: dict, person_names: dict[str, str] | None = None,
                 parameter_names: dict[str, str] | None = None) -> list[dict]:
    """Result rows as staff read them: program, parameter and reason by their
    Chinese names (codes never shown), what the household gets first."""
    rows = []
    for item in result["results"]:
        parameters = [{**p, "text": _parameter_text(p.get("value")),
                       "title": (parameter_names or {}).get(p["name"], "政策参数")} for p in item["parameters"]]
        rows.append({**item, "label": selectors.program_label(item["program"]), "parameters": parameters,
                     "person_label": (person_names or {}).get(item["person"], item["person"])})
    rows.sort(key=lambda r: not r["eligible"])  # what the household gets first
    return rows


@login_required
def cpi_list(request: HttpRequest) -> HttpResponse:
    form = forms.CpiForm(request.POST or None)
    if request.method == "POST" and "file" in request.FILES:
        return _cpi_upload(request)
    if request.method == "POST":
        require(request.user, "eligibility.parameters_manage")
        if form.is_valid():
            try:
                record = services.cpi_record(actor=request.user, month=form.cleaned_data["month"],
                                             all_yoy_pct=form.cleaned_data["all_yoy_pct"],
                                             food_yoy_pct=form.cleaned_data["food_yoy_pct"],
                                             source=form.cleaned_data["source"])
                messages.success(request, f"已保存 {record.month} 的CPI数据")
                return redirect("eligibility:cpi")
            except ValidationError as err:
                form.add_error(None, err)
    return render(request, "eligibility/cpi.html", {"form": form, "records": selectors.cpi_months(),
                                                    "can_edit": can(request.user, "eligibility.parameters_manage")})


def _cpi_upload(request: HttpRequest) -> HttpResponse:
    require(request.user, "eligibility.parameters_manage")
    try:
        upload_check(request.FILES["file"])  # before reading it
        count, problems = cpi_import(actor=request.user, content=request.FILES["file"].read())
    except ValidationError as err:
        count, problems = 0, [CpiProblem(1, "；".join(err.messages))]
    if problems:
        messages.error(request, "CPI 文件有误，未导入任何数据：" + "；".join(f"第{p.row}行 {p.message}" for p in problems))
    else:
        messages.success(request, f"已导入 {count} 个月的CPI数据")
    return redirect("eligibility:cpi")


@login_required
def cpi_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(TEMPLATE.encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="cpi_template.csv"'
    return response


def _with_target_labels(grants):
    """Each grant with its target groups' Chinese labels (never the codes)."""
    grants = list(grants)
    for grant in grants:
        grant.target_labels = [forms.GROUP_LABELS.get(t, "其他对象") for t in grant.target_groups]
    return grants


@login_required
def grant_list(request: HttpRequest) -> HttpResponse:
    form = forms.GrantForm(request.POST or None)
    if request.method == "POST":
        require(request.user, "eligibility.parameters_manage")
        if form.is_valid():
            data = form.cleaned_data
            try:
                grant = services.grant_define(
                    actor=request.user, name=data["name"] or services.grant_code_new(data["month"]), label=data["label"], month=data["month"],
                    amount_fen=parse_yuan(data["amount_yuan"]),
                    target_groups=data["target_groups"], reference=data["reference"])
                messages.success(request, f"已设立一次性补助“{grant.label}”（{grant.month} 发放）")
                return redirect("eligibility:grants")
            except ValidationError as err:
                form.add_error(None, err)
    return render(request, "eligibility/grants.html", {
        "form": form, "grants": _with_target_labels(selectors.grant_definitions()),
        "can_edit": can(request.user, "eligibility.parameters_manage"),
        "group_labels": forms.GROUP_LABELS})


@login_required
def runs(request: HttpRequest) -> HttpResponse:
    month = request.GET.get("month") or _this_month()
    summary = selectors.run_summary(request.user, month)
    if summary and summary["finished_at"]:
        summary["finished"] = dt.datetime.fromisoformat(summary["finished_at"])
    return render(request, "eligibility/runs.html", {
        "month": month, "summary": summary,
        "recent": selectors.runs_recent(), "can_run": can(request.user, "eligibility.run"),
        # district-wide totals of a run are for district-level users only
        "show_run_totals": Scope.of(request.user).level == DivisionLevel.DISTRICT,
    })


@login_required
@require_POST
def run_batch(request: HttpRequest) -> HttpResponse:
    """Start the month's batch as a background job and show its page at once (ADR 0017)."""
    require(request.user, "eligibility.run")
    month = request.POST.get("month", "")
    try:
        job = job_start(actor=request.user, kind=POLICY_BATCH.code, params={"month": month})
    except ValidationError as err:
        messages.error(request, "；".join(err.messages))
        return redirect(f"{reverse('eligibility:runs')}?{urlencode({'month': month[:7]})}")
    messages.success(request, f"{month} 全区批量测算已开始在后台运行（作业 {job.pk}），本页显示进度。")
    return redirect("jobs:detail", pk=job.pk)


@login_required
def household_decisions(request: HttpRequest, pk: int) -> HttpResponse:
    month = request.GET.get("month") or _this_month()
    found = selectors.household_decisions(request.user, pk, month)
    if found is None:
        try:
            from minzheng.registry.selectors import household_get

            household_get(request.user, pk)
        except Household.DoesNotExist as err:
            raise Http404("未找到该家庭") from err
    if found:
        from minzheng.registry.selectors import persons_visible

        ids = {d["person"] for d in found["decisions"] if d["person"]}
        people = {p.pk: p for p in persons_visible(request.user).filter(pk__in=ids)}
        for d in found["decisions"]:
            d["person_obj"] = people.get(d["person"])
    return render(request, "eligibility/_household_decisions.html", {"found": found, "month": month,
                                                                    "household_id": pk})


