"""The demo page in headless Chromium through selenium (issue 14): click a place and read the name shown, drag a
rectangle and read the count listed, record the clicked route, post a note; a screenshot at the end.

Usage: web_browser.py URL SCREENSHOT FEATURES_JSON CHROMIUM CHROMEDRIVER
Prints `name value` lines for the Rust test to compare.
"""

import json
import sys

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

url, screenshot, features_json, chromium, chromedriver = sys.argv[1:6]
places = json.load(open(features_json, encoding="utf-8"))

options = Options()
options.binary_location = chromium
for arg in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900"]:
    options.add_argument(arg)
driver = webdriver.Chrome(service=Service(chromedriver), options=options)
try:
    wait = WebDriverWait(driver, 20)
    by_id = lambda name: driver.find_element(By.ID, name)
    driver.get(url)
    wait.until(lambda d: by_id("map").get_attribute("data-ready") == "true")
    print("places", len(driver.find_elements(By.CSS_SELECTOR, "circle.place")))

    # Click two places far from any other; the page asks GetFeature and shows the name.
    for name in ["拉萨", "乌鲁木齐"]:
        dot = driver.find_element(By.CSS_SELECTOR, f'circle.place[data-name="{name}"]')
        ActionChains(driver).move_to_element(dot).click().perform()
        wait.until(lambda d: by_id("feature-name").text not in ("", "…"))
        print("clicked", by_id("feature-name").text)

    # Drag a rectangle over eastern China (longitude 110 to 122, latitude 28 to 41 at 10 px a degree, offsets
    # from the map's centre); the page lists what ListFeatures streams.
    svg = by_id("map")
    size = svg.size
    cx, cy = size["width"] / 2, size["height"] / 2
    (ActionChains(driver)
        .move_to_element_with_offset(svg, (110 - 73) * 10 - cx, (54 - 41) * 10 - cy)
        .click_and_hold()
        .move_by_offset(60, 60)
        .move_by_offset(60, 70)
        .release()
        .perform())
    wait.until(lambda d: by_id("list-state").get_attribute("data-done") == "true")
    box = by_id("list-range")
    lo_lat, lo_lng, hi_lat, hi_lng = (
        float(box.get_attribute(f"data-{k}")) for k in ["lo-latitude", "lo-longitude", "hi-latitude", "hi-longitude"]
    )
    expected = sum(
        1 for p in places if lo_lat <= p["latitude"] <= hi_lat and lo_lng <= p["longitude"] <= hi_lng
    )
    print("listed", by_id("list-count").text, "of", expected, "items", len(driver.find_elements(By.CSS_SELECTOR, "#list li")))

    # RecordRoute with the two places clicked.
    by_id("record").click()
    wait.until(lambda d: by_id("route-summary").text != "")
    print("route", by_id("route-summary").text.split(",")[0])

    # RouteChat at the last place clicked: twice, the second shows the first.
    for text in ["first note", "second note"]:
        by_id("chat-text").send_keys(text)
        by_id("chat").submit()
        wait.until(lambda d: any(li.text == f"posted: {text}" for li in d.find_elements(By.CSS_SELECTOR, "#notes li")))
    print("notes", " | ".join(li.text for li in driver.find_elements(By.CSS_SELECTOR, "#notes li")))
    print("error", by_id("error").text or "none")
    driver.save_screenshot(screenshot)
finally:
    driver.quit()
