"""The Decision 766 index as DOMAIN.md §2 transcribes it (docs/index-766.md): six groups, their
maxima confirmed [C]; the indicators inside each group, their weights and thresholds as
third-party dashboards transcribe the National Portal's method [S], marked unverified."""

from datetime import date

from django.db import migrations

SOURCE = (
    "Quyết định số 766/QĐ-TTg ngày 23/6/2022 của Thủ tướng Chính phủ phê duyệt Bộ chỉ số chỉ "
    "đạo, điều hành và đánh giá chất lượng phục vụ người dân, doanh nghiệp trong thực hiện thủ "
    "tục hành chính, dịch vụ công theo thời gian thực trên môi trường điện tử. Group maxima [C]; "
    "indicators, weights and thresholds as third-party dashboards transcribe them [S] "
    "(docs/index-766.md, docs/domain.md §2)."
)

# (group code, name, max, [(code, name, measure, max, threshold, empty rule, verified)])
GROUPS = [
    ("CKMB", "Công khai, minh bạch", 18, [
        ("CKMB.1", "Thủ tục hành chính được công khai đầy đủ", "catalogue_published", 6, 1, "full", False),
        ("CKMB.2", "Hồ sơ được công khai tiến độ, trạng thái xử lý", "status_public", 4, 1, "full", False),
        ("CKMB.3", "Hồ sơ trễ hạn có văn bản xin lỗi", "apology", 2, 1, "full", False),
        ("CKMB.4", "Hồ sơ được đồng bộ lên Cổng Dịch vụ công quốc gia", "synced", 6, 1, "full", False),
    ]),
    ("TDGQ", "Tiến độ giải quyết", 20, [
        ("TDGQ.1", "Hồ sơ giải quyết đúng hạn", "on_time", 20, 1, "full", False),
    ]),
    ("CLGQ", "Dịch vụ công trực tuyến", 12, [
        ("CLGQ.1", "Hồ sơ nộp trực tuyến của thủ tục có dịch vụ công trực tuyến toàn trình", "online", 12, 1, "full", False),
    ]),
    ("TTTT", "Thanh toán trực tuyến", 10, [
        ("TTTT.1", "Thủ tục có phí, lệ phí được cung cấp thanh toán trực tuyến", "pay_offered_procedures", 2, "0.8", "full", False),
        ("TTTT.2", "Thủ tục có phí, lệ phí phát sinh thanh toán trực tuyến", "pay_used_procedures", 2, "0.8", "full", False),
        ("TTTT.3", "Hồ sơ thanh toán trực tuyến trên hồ sơ có phí, lệ phí", "paid_online", 6, 1, "full", False),
    ]),
    ("MDSH", "Mức độ số hóa hồ sơ", 22, [
        ("MDSH.1", "Hồ sơ được cấp kết quả điện tử", "e_result", 6, 1, "full", False),
        ("MDSH.2", "Hồ sơ được số hóa", "digitised", 4, "0.8", "full", False),
        ("MDSH.3", "Chứng thực bản sao điện tử", "certified_copies", 2, 1, "full", False),
        ("MDSH.4", "Khai thác, tái sử dụng dữ liệu đã số hóa", "reuse", 2, "0.8", "full", False),
        ("MDSH.5", "Sử dụng Kho dữ liệu điện tử của tổ chức, cá nhân", "citizen_store", 4, 1, "full", False),
        ("MDSH.6", "Hồ sơ sử dụng dữ liệu từ Cơ sở dữ liệu quốc gia về dân cư", "population_data", 2, 1, "full", False),
        ("MDSH.7", "Thủ tục kết nối Cơ sở dữ liệu quốc gia về dân cư", "population_procedures", 2, 1, "full", False),
    ]),
    ("MDHL", "Mức độ hài lòng", 18, [
        ("MDHL.1", "Phản ánh, kiến nghị được xử lý đúng hạn", "feedback_on_time", 6, 1, "full", False),
        ("MDHL.2", "Hài lòng về việc xử lý phản ánh, kiến nghị", "feedback_satisfied", 6, 1, "full", False),
        ("MDHL.3", "Hài lòng trong giải quyết thủ tục hành chính", "dossier_satisfaction", 6, "0.9", "full", False),
    ]),
]  # fmt: skip


def seed(apps, schema_editor):
    IndexVersion = apps.get_model("reports", "IndexVersion")
    IndexGroup = apps.get_model("reports", "IndexGroup")
    IndexIndicator = apps.get_model("reports", "IndexIndicator")
    version, created = IndexVersion.objects.get_or_create(
        code="766-2022",
        defaults={
            "name": "Bộ chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766/QĐ-TTg)",
            "source": SOURCE,
            "valid_from": date(2022, 6, 23),
        },
    )
    if not created:
        return
    for position, (code, name, maximum, indicators) in enumerate(GROUPS):
        group = IndexGroup.objects.create(
            version=version, code=code, name=name, max_points=maximum, position=position
        )
        for place, (icode, iname, measure, imax, threshold, empty, verified) in enumerate(
            indicators
        ):
            IndexIndicator.objects.create(
                group=group,
                code=icode,
                name=iname,
                measure=measure,
                max_points=imax,
                threshold=str(threshold),
                empty_rule=empty,
                verified=verified,
                source="DOMAIN.md §2: group maximum [C]; weight and threshold [S], unverified",
                position=place,
            )


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
