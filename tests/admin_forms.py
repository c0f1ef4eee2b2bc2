"""Admin change forms as a browser posts them, for tests that edit through admin."""

import re


def form_data(page) -> dict[str, str]:
    """Every input, select and textarea of the change form as a browser would post it unchanged."""
    html = page.content.decode()
    data = {}
    for name, value in re.findall(r'<input[^>]*?name="([^"]+)"[^>]*?value="([^"]*)"', html):
        data.setdefault(name, value)
    for name, body in re.findall(r'<select[^>]*?name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.findall(r'<option value="([^"]*)"[^>]*selected', body)
        if chosen:
            data[name] = chosen if "multiple" in html.split(f'name="{name}"')[1][:40] else chosen[0]
    for name, body in re.findall(r'<textarea[^>]*?name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        data[name] = body.strip()
    for checkbox in re.findall(r'<input type="checkbox" name="([^"]+)"(?![^>]*checked)[^>]*>', html):
        data.pop(checkbox, None)
    data.pop("csrfmiddlewaretoken", None)
    return data
