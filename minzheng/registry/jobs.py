"""The registry import as a background job (``jobs``, ADR 0017): 人员和家庭批量导入.

The page stores the uploaded file first (``jobs.services.upload_store``,
sealed, under a random name) and queues this job with the upload's number;
the job validates every row and imports with progress (rows validated,
households written). All-or-nothing stays the default: with any bad row
nothing is written and the job fails with the count, linking to the import
record that lists every problem (row number, column, Chinese reason);
with 跳过错误行 the good households are written and the bad ones listed.

A retry is safe: a person already registered (same ID number) is a bad row,
so the same file imported twice writes nothing the second time.
Permission ``registry.import`` is checked when the job is queued and again
when it runs (``registry_import`` requires it).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse

from minzheng.core.file_import import ImportFileError
from minzheng.jobs.services import (
    JobFailed,
    JobKind,
    Outcome,
    Progress,
    upload_description,
    upload_discard,
    upload_get,
    upload_open,
    upload_param,
)
from minzheng.registry import importing

KIND = "registry_import"


def _clean(params: dict[str, Any]) -> dict[str, Any]:
    upload = upload_param(params)
    return {"upload": upload, "skip_bad": bool(params.get("skip_bad", False))}


def _describe(params: dict[str, Any]) -> str:
    name = upload_description(params["upload"])
    mode = "跳过错误行，导入其余正确的家庭" if params.get("skip_bad") else "有错误行则全部不导入"
    return f"文件：{name}；导入方式：{mode}"


def _run(actor: Any, params: dict[str, Any], progress: Progress) -> Outcome:
    upload = upload_get(params["upload"])
    content = upload_open(upload).getvalue()
    try:
        report = importing.registry_import(actor=actor, filename=upload.original_name, content=content,
                                           skip_bad=params["skip_bad"], progress=progress)
    except ImportFileError as err:
        raise ValidationError(str(err)) from err
    url = reverse("registry:import_run", args=[report.run_id]) if report.run_id else ""
    if not report.committed:
        raise JobFailed(f"发现 {len(report.problems)} 个问题，涉及 {len(report.rejected_rows)} 行，本次未导入任何数据"
                        f"（文件共 {report.total_rows} 行）。请修改文件后重新上传，或选择“跳过错误行”导入其余正确的家庭。",
                        url=url, link_label="查看问题清单")
    upload_discard(upload)
    rejected = f"；{len(report.rejected_rows)} 行因错误未导入" if report.rejected_rows else ""
    return Outcome(summary=f"已导入 {report.imported_persons} 人、{report.imported_households} 户"
                           f"（文件共 {report.total_rows} 行{rejected}）",
                   url=url, link_label="查看导入结果" if not rejected else "查看导入结果和未导入的行", value=report)


REGISTRY_IMPORT = JobKind(code=KIND, label="人员和家庭批量导入", permission="registry.import", run=_run,
                          clean=_clean, describe=_describe)
