"""Small feed documents for tests."""

import json

from employers.uscc import make_uscc

USCC_SUZHOU = make_uscc(division="320500", serial="MA1T00001")
USCC_NANJING = make_uscc(division="320100", serial="MA1T00002")


def posting(external_id: str, **overrides) -> dict:
    item = {
        "@type": "JobPosting",
        "identifier": external_id,
        "title": "嵌入式软件工程师",
        "description": "<p>负责工业控制器固件开发，五险一金。</p>",
        "hiringOrganization": {
            "@type": "Organization",
            "name": "苏州汇川精密机械有限公司",
            "identifier": {"@type": "PropertyValue", "name": "统一社会信用代码", "value": USCC_SUZHOU},
        },
        "jobLocation": {"@type": "Place", "address": {"@type": "PostalAddress", "addressLocality": "苏州"}},
        "baseSalary": "8k-12k",
        "educationRequirements": "本科及以上",
        "employmentType": "FULL_TIME",
        "validThrough": "2099-12-31",
    }
    item.update(overrides)
    return item


def jsonld(*items) -> bytes:
    return json.dumps(list(items), ensure_ascii=False).encode()


def feed(count: int, *, prefix: str = "A", start: int = 1, **overrides) -> bytes:
    return jsonld(
        *[posting(f"{prefix}{n}", title=f"机械设计工程师{n}号岗", **overrides) for n in range(start, start + count)]
    )
