"""Realistic synthetic partner feeds: the samples under ``samples/feeds/`` and the benchmark's large feeds.

Deterministic for a seed. Employers carry valid USCCs whose division code is their city's; titles, salaries and
descriptions follow what Yangtze River Delta centres publish. ``python -m feeds.samplegen`` rewrites the samples.
"""

import csv
import io
import json
import random
from dataclasses import dataclass
from datetime import date, timedelta
from xml.sax.saxutils import escape, quoteattr

from django.utils import timezone

from employers.uscc import make_uscc

CITIES = {
    "320000": [("320100", "南京市"), ("320200", "无锡市"), ("320400", "常州市"), ("320500", "苏州市"),
               ("320600", "南通市"), ("321000", "扬州市"), ("321100", "镇江市"), ("320300", "徐州市")],
    "330000": [("330100", "杭州市"), ("330200", "宁波市"), ("330300", "温州市"), ("330400", "嘉兴市"),
               ("330600", "绍兴市"), ("330700", "金华市"), ("331000", "台州市"), ("330500", "湖州市")],
    "340000": [("340100", "合肥市"), ("340200", "芜湖市"), ("340300", "蚌埠市"), ("340500", "马鞍山市"),
               ("340800", "安庆市"), ("341100", "滁州市")],
    "310000": [("310115", "浦东新区"), ("310104", "徐汇区"), ("310112", "闵行区"), ("310114", "嘉定区"),
               ("310105", "长宁区"), ("310110", "杨浦区")],
}  # fmt: skip
PROVINCE_NAMES = {"320000": "江苏省", "330000": "浙江省", "340000": "安徽省", "310000": "上海市"}
BRANDS = ["汇川", "博瑞", "恒信", "天和", "同创", "远景", "瑞泰", "华星", "润和", "维康", "金诚", "智源", "鼎盛",
          "科达", "联创", "华腾", "正泰", "星源", "中联", "新元", "融通", "启明", "卓越", "嘉诚", "长风", "海纳",
          "宏图", "万邦", "东方", "聚力"]  # fmt: skip
SECTORS = [
    ("智能装备", "C", ["机械设计工程师", "电气工程师", "PLC工程师", "设备维护技术员", "工艺工程师"]),
    ("电子科技", "C", ["硬件工程师", "嵌入式软件工程师", "测试工程师", "质量工程师", "FAE现场应用工程师"]),
    ("软件技术", "I", ["Java开发工程师", "前端开发工程师", "软件测试工程师", "产品经理", "运维工程师"]),
    ("信息技术", "I", ["数据分析师", "算法工程师", "Python开发工程师", "UI设计师", "实施工程师"]),
    ("生物医药", "C", ["药物研发员", "QA质量专员", "注册专员", "医药代表", "实验室技术员"]),
    ("新能源科技", "C", ["电池工艺工程师", "光伏研发工程师", "电力电子工程师", "储能系统工程师"]),
    ("供应链管理", "G", ["物流专员", "仓储主管", "采购专员", "调度员"]),
    ("建设工程", "E", ["土建工程师", "造价工程师", "施工员", "BIM工程师"]),
    ("教育科技", "P", ["课程顾问", "小学数学教师", "教研专员", "英语教师"]),
    ("检测技术", "M", ["检测工程师", "实验员", "认证工程师"]),
]
GENERIC_TITLES = ["人力资源专员", "会计", "销售代表", "行政助理", "管培生（2026届）", "市场专员", "出纳"]
OWNERSHIP = [("民营企业", 60), ("国有企业", 23), ("外资企业", 17)]
SALARIES = ["8k-12k", "15-25K·14薪", "1-1.5万/月", "15-25万/年", "6000-8000元/月", "10k-15k·13薪",
            "面议", "7-9K", "1.2-2万/月", "20-30万/年", "5000-7000元/月"]  # fmt: skip
EDUCATION = ["本科及以上", "大专及以上", "硕士", "不限", "本科", "硕士研究生及以上", "中专/高中"]
DUTIES = ["负责产品的需求分析、方案设计与开发实现", "参与项目评审，编写技术文档", "配合生产部门解决现场技术问题",
          "跟踪行业技术发展，提出改进建议", "负责客户需求沟通与方案交付", "参与新产品导入及试产验证",
          "维护与优化现有系统，保障稳定运行", "完成部门安排的其他工作", "负责数据统计与分析报告",
          "协助制定年度工作计划并推进落实"]  # fmt: skip
REQUIREMENTS = ["相关专业，2026届应届毕业生优先", "具有良好的沟通能力和团队合作精神", "熟悉Office办公软件",
                "英语CET-4及以上", "能适应短期出差", "有相关实习经历者优先", "责任心强，学习能力强",
                "熟悉C/C++或Java语言"]  # fmt: skip
BENEFITS = ["五险一金", "带薪年假", "年终奖", "定期体检", "餐补", "员工宿舍", "弹性工作", "节日福利", "补充医疗保险"]
STREETS = ["科技", "创新", "星湖", "高新", "人民", "长江", "学府"]
_SERIAL_LETTER = {"JS": "J", "ZJ": "K", "AH": "A", "SH": "H"}
TYPES = [("全职", "FULL_TIME", 80), ("校招", "FULL_TIME", 12), ("实习", "INTERN", 8)]


@dataclass
class Employer:
    name: str
    uscc: str
    city_code: str
    city_name: str
    ownership: str
    industry: str
    sector: int


@dataclass
class Vacancy:
    id: str
    title: str
    employer: Employer
    city_code: str
    city_name: str
    province: str
    address: str
    salary: str
    education: str
    employment_type: str
    schema_type: str
    headcount: int
    valid_through: date
    date_posted: date
    duties: list[str]
    requirements: list[str]
    benefits: list[str]

    @property
    def description_html(self) -> str:
        duties = "".join(f"<li>{escape(d)}</li>" for d in self.duties)
        reqs = "".join(f"<li>{escape(r)}</li>" for r in self.requirements)
        return f"<p>岗位职责：</p><ul>{duties}</ul><p>任职要求：</p><ul>{reqs}</ul>"

    @property
    def description_text(self) -> str:
        duties = "\n".join(f"{i}. {d}" for i, d in enumerate(self.duties, 1))
        reqs = "\n".join(f"{i}. {r}" for i, r in enumerate(self.requirements, 1))
        return f"岗位职责：\n{duties}\n任职要求：\n{reqs}"


def _weighted(rng: random.Random, options):
    return rng.choices([o[:-1] if len(o) > 2 else o[0] for o in options], weights=[o[-1] for o in options])[0]


def make_employers(rng: random.Random, province: str, count: int, *, prefix: str) -> list[Employer]:
    employers = []
    cities = CITIES[province]
    for n in range(count):
        code, city = cities[n % len(cities)]
        sector_index = rng.randrange(len(SECTORS))
        word, industry, _titles = SECTORS[sector_index]
        brand = BRANDS[(n * 7 + len(prefix)) % len(BRANDS)]
        short = city.removesuffix("市").removesuffix("新区").removesuffix("区")
        suffix = "" if n < len(BRANDS) else str(n // len(BRANDS))
        ownership = _weighted(rng, OWNERSHIP)
        name = f"{short}{brand}{word}{suffix}有限公司"
        if ownership == "国有企业":
            name = f"{short}{brand}{word}{suffix}集团有限公司"
        serial = f"MA{prefix}{n:06d}"  # 9 characters from the USCC alphabet (no I, O, S, V, Z)
        employers.append(
            Employer(name, make_uscc(division=code, serial=serial), code, city, ownership, industry, sector_index)
        )
    return employers


def make_vacancies(
    *, province: str, count: int, employers: int | None = None, seed: int = 2026, prefix: str = "JS", today=None
) -> list[Vacancy]:
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    today = today or timezone.localdate()
    pool = make_employers(rng, province, employers or max(count // 6, 5), prefix=_SERIAL_LETTER.get(prefix, "B"))
    vacancies = []
    for n in range(1, count + 1):
        employer = pool[rng.randrange(len(pool))]
        titles = SECTORS[employer.sector][2] + GENERIC_TITLES[:2]
        title = rng.choice(titles) if rng.random() > 0.08 else rng.choice(GENERIC_TITLES)
        kind, schema_type = _weighted(rng, TYPES)
        if kind == "校招" and "届" not in title:
            title = f"{title}（2026届校招）"
        if kind == "实习":
            title = f"{title}实习生"
        city_code, city_name = employer.city_code, employer.city_name
        if rng.random() < 0.15:
            city_code, city_name = rng.choice(CITIES[province])
        vacancies.append(
            Vacancy(
                id=f"{prefix}{today.year}{n:06d}",
                title=title,
                employer=employer,
                city_code=city_code,
                city_name=city_name,
                province=PROVINCE_NAMES[province],
                address=f"{rng.choice(STREETS)}路{rng.randint(1, 999)}号",
                salary=rng.choice(SALARIES)
                if kind != "实习"
                else rng.choice(["150元/天", "200元/天", "3000-4000元/月"]),
                education=rng.choice(EDUCATION),
                employment_type=kind,
                schema_type=schema_type,
                headcount=rng.choice([1, 1, 2, 3, 5, 10]),
                valid_through=today + timedelta(days=rng.randint(20, 90)),
                date_posted=today - timedelta(days=rng.randint(0, 20)),
                duties=rng.sample(DUTIES, 3),
                requirements=rng.sample(REQUIREMENTS, 3),
                benefits=rng.sample(BENEFITS, 3),
            )
        )
    return vacancies


# --- writers ---

_UNIT = {"月": "MONTH", "年": "YEAR", "天": "DAY"}


def _structured_salary(text: str):
    """Some salaries as schema.org MonetaryAmount (as most JSON-LD feeds send them), the rest as text."""
    import re

    m = re.fullmatch(r"(\d+)-(\d+)元/(月|年|天)", text)
    if m:
        return {
            "@type": "MonetaryAmount",
            "currency": "CNY",
            "value": {
                "@type": "QuantitativeValue",
                "minValue": int(m[1]),
                "maxValue": int(m[2]),
                "unitText": _UNIT[m[3]],
            },
        }
    m = re.fullmatch(r"(\d+)元/天", text)
    if m:
        return {
            "@type": "MonetaryAmount",
            "currency": "CNY",
            "value": {"@type": "QuantitativeValue", "value": int(m[1]), "unitText": "DAY"},
        }
    return text


def to_jsonld(vacancies: list[Vacancy], *, centre: str) -> bytes:
    items = []
    for position, v in enumerate(vacancies, 1):
        items.append(
            {
                "@type": "ListItem",
                "position": position,
                "item": {
                    "@type": "JobPosting",
                    "identifier": {"@type": "PropertyValue", "name": centre, "value": v.id},
                    "title": v.title,
                    "description": v.description_html,
                    "datePosted": v.date_posted.isoformat(),
                    "validThrough": f"{v.valid_through.isoformat()}T23:59:59+08:00",
                    "employmentType": [v.schema_type, v.employment_type],
                    "hiringOrganization": {
                        "@type": "Organization",
                        "name": v.employer.name,
                        "identifier": {"@type": "PropertyValue", "name": "统一社会信用代码", "value": v.employer.uscc},
                        "address": {
                            "@type": "PostalAddress",
                            "addressRegion": v.province,
                            "addressLocality": v.employer.city_name,
                        },
                        "additionalType": v.employer.ownership,
                        "industry": v.employer.industry,
                    },
                    "jobLocation": {
                        "@type": "Place",
                        "address": {
                            "@type": "PostalAddress",
                            "addressRegion": v.province,
                            "addressLocality": v.city_name,
                            "streetAddress": v.address,
                            "addressCountry": "CN",
                        },
                    },
                    "baseSalary": _structured_salary(v.salary),
                    "educationRequirements": v.education,
                    "totalJobOpenings": v.headcount,
                    "jobBenefits": "、".join(v.benefits),
                },
            }
        )
    document = {"@context": "https://schema.org", "@type": "ItemList", "name": centre, "itemListElement": items}
    return json.dumps(document, ensure_ascii=False, indent=1).encode()


def to_xml(vacancies: list[Vacancy], *, centre: str) -> bytes:
    out = io.StringIO()
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(f"<jobs centre={quoteattr(centre)} generated={quoteattr(timezone.localdate().isoformat())}>\n")
    for v in vacancies:
        out.write(f"  <job id={quoteattr(v.id)}>\n")
        out.write(f"    <title>{escape(v.title)}</title>\n")
        out.write(f"    <employer uscc={quoteattr(v.employer.uscc)}>\n")
        out.write(f"      <name>{escape(v.employer.name)}</name>\n")
        out.write(f"      <city>{escape(v.employer.city_name)}</city>\n")
        out.write(f"      <ownership>{escape(v.employer.ownership)}</ownership>\n")
        out.write(f"      <industry>{v.employer.industry}</industry>\n")
        out.write("    </employer>\n")
        out.write(f"    <location>{escape(v.province + v.city_name)}</location>\n")
        out.write(f"    <address>{escape(v.address)}</address>\n")
        out.write(f"    <salary>{escape(v.salary)}</salary>\n")
        out.write(f"    <education>{escape(v.education)}</education>\n")
        out.write(f"    <employmentType>{escape(v.employment_type)}</employmentType>\n")
        out.write(f"    <headcount>{v.headcount}</headcount>\n")
        out.write(f"    <datePosted>{v.date_posted.isoformat()}</datePosted>\n")
        out.write(f"    <validThrough>{v.valid_through.isoformat()}</validThrough>\n")
        out.write(f"    <tags>{escape(' '.join(v.benefits))}</tags>\n")
        out.write(f"    <description><![CDATA[{v.description_html}]]></description>\n")
        out.write("  </job>\n")
    out.write("</jobs>\n")
    return out.getvalue().encode()


CSV_COLUMNS = ["职位编号", "职位名称", "单位名称", "统一社会信用代码", "单位性质", "所属行业", "工作地点", "详细地址",
               "学历要求", "薪资", "工作性质", "招聘人数", "发布日期", "截止日期", "福利待遇", "职位描述"]  # fmt: skip


def to_csv(vacancies: list[Vacancy], *, encoding: str = "utf-8-sig") -> bytes:
    """As Excel writes it: CRLF line ends; "CSV UTF-8" has a BOM, plain "CSV" on Chinese Windows is GBK."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for v in vacancies:
        writer.writerow(
            [v.id, v.title, v.employer.name, v.employer.uscc, v.employer.ownership, v.employer.industry,
             v.city_name, v.address, v.education, v.salary, v.employment_type, v.headcount,
             v.date_posted.strftime("%Y/%m/%d"), v.valid_through.strftime("%Y/%m/%d"), "、".join(v.benefits),
             v.description_text]
        )  # fmt: skip
    return out.getvalue().encode(encoding)


def write_samples(directory) -> None:
    from pathlib import Path

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    # Samples stay valid for a long while: far-future dates would look odd, so anchor on a fixed "today" and
    # give every vacancy a deadline at least a year ahead of it.
    today = date(2026, 3, 1)
    plus = timedelta(days=365 * 3)
    js = make_vacancies(province="320000", count=48, employers=16, seed=1, prefix="JS", today=today)
    zj = make_vacancies(province="330000", count=40, employers=14, seed=2, prefix="ZJ", today=today)
    ah = make_vacancies(province="340000", count=36, employers=12, seed=3, prefix="AH", today=today)
    for vacancies in (js, zj, ah):
        for v in vacancies:
            v.valid_through += plus
    (directory / "jiangsu.jsonld").write_bytes(to_jsonld(js, centre="江苏省人才流动服务中心"))
    (directory / "zhejiang.xml").write_bytes(to_xml(zj, centre="浙江省人才市场"))
    (directory / "anhui-gbk.csv").write_bytes(to_csv(ah, encoding="gbk"))
    (directory / "anhui-utf8.csv").write_bytes(to_csv(ah, encoding="utf-8-sig"))


if __name__ == "__main__":
    import os
    import sys

    import django

    sys.path.insert(0, os.getcwd())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talentfair.settings")
    django.setup()
    write_samples("samples/feeds")
