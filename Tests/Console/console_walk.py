"""The browser walk through the web console, in headless Chromium driven by Selenium.

The console's contract (element ids and classes) is described with each step. After every page load the walk checks
the page's layout (body[data-page], the five nav links, an <h1>) and that the browser logged no SEVERE message.
"""

import http.client
import os
import re
import shutil
import tempfile
import time
import urllib.parse

from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException, StaleElementReferenceException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from console_api import CENTRES, CLASSES, FEATURES, Api, png_bytes, square_png, table_csv, wav_bytes, zip_bytes
from console_support import CheckFailed, checks, say, wait_until

CHROMIUM = os.environ.get("KOUZI_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("KOUZI_CHROMEDRIVER", "/usr/bin/chromedriver")
SESSION_COOKIE = "kouzi_session"
NAV_LINKS = ["nav-datasets", "nav-training", "nav-models", "nav-deployments", "nav-monitoring"]
PAGE_BUDGET_MS = 300
# Rows of the CSV uploaded through the form, and the training run on it: slow enough (5–10 s in a release build on
# two cores) that the job page sees its curve grow while the job runs.
UPLOAD_ROWS = 2400
LIVE_TEMPLATE = "mlp_classifier"
LIVE_HYPERPARAMETERS = {"epochs": "100", "batch_size": "1", "units": "32"}
LIVE_TIMEOUT = 120
ATTEMPTS = 5  # tries of a find-and-click whose element a self-refreshing page replaced
# A failed request the page reports itself (a form answered 400/401/422) is logged by Chromium as a network error;
# steps that provoke one allow exactly these.
HTTP_ERROR = re.compile(r"status of (400|401|403|409|422) ")


class Walk:
    def __init__(self, base_url, token, state, screenshot_dir, show_browser_log=False):
        self.base_url = base_url.rstrip("/")
        self.api = Api(base_url, token=token)
        self.state = state
        self.p = state["project"]
        self.base = f"/api/v1/projects/{self.p}"
        self.screenshot_dir = os.path.abspath(screenshot_dir)
        self.show_browser_log = show_browser_log
        self.stamp = time.strftime("%H%M%S")
        self.work_dir = tempfile.mkdtemp(prefix="kouzi-console-walk-")
        self.timings = []
        os.makedirs(self.screenshot_dir, exist_ok=True)
        for name in os.listdir(self.screenshot_dir):
            if re.fullmatch(r"\d\d-.*\.png", name):
                os.remove(os.path.join(self.screenshot_dir, name))
        self.driver = self.start_browser()

    # Browser ------------------------------------------------------------------------------------------------------

    @staticmethod
    def start_browser():
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                         "--window-size=1400,1000", "--no-proxy-server", "--disable-extensions", "--lang=en-US"]:
            options.add_argument(argument)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
        driver.set_page_load_timeout(30)
        return driver

    def close(self):
        try:
            self.driver.quit()
        except Exception:
            pass
        shutil.rmtree(self.work_dir, ignore_errors=True)

    def report_failure(self):
        """Saves a screenshot of where the walk stopped and prints the page's address and recent browser messages."""
        try:
            path = os.path.join(self.screenshot_dir, f"99-failed-{checks.step}.png")
            self.driver.save_screenshot(path)
            say(f"console: screenshot of the failure: {path}")
            say(f"console: the browser was at {self.driver.current_url}")
            for shown in self.page_errors():
                say(f"console: the page shows {shown}")
            for entry in self.driver.get_log("browser"):
                say(f"console: browser {entry['level']}: {entry['message']}")
        except Exception as error:
            say(f"console: no failure screenshot ({type(error).__name__}: {error})")

    def url(self, path):
        return self.base_url + path

    def path(self):
        return urllib.parse.urlparse(self.driver.current_url).path

    def query(self):
        return urllib.parse.parse_qs(urllib.parse.urlparse(self.driver.current_url).query)

    def find(self, css):
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def finds(self, css):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def exists(self, css):
        return len(self.finds(css)) > 0

    def text(self, css):
        """The element's visible text, "" when it is missing (or replaced while being read)."""
        for _ in range(3):
            try:
                elements = self.finds(css)
                return elements[0].text.strip() if elements else ""
            except (StaleElementReferenceException, WebDriverException):
                time.sleep(0.05)
        return ""

    def require(self, css, what=None):
        """The element, checked to exist."""
        elements = self.finds(css)
        checks(len(elements) > 0, f"no element {css} on {self.path()}" + (f" ({what})" if what else ""))
        return elements[0]

    def mark_document(self):
        """Tags the current document so that wait_new_document can tell when another one has replaced it."""
        self.driver.execute_script("window.__kouziWalkMark = true;")

    def wait_new_document(self, what, timeout=30):
        wait_until(lambda: self.driver.execute_script(
            "return window.__kouziWalkMark === undefined && document.readyState === 'complete';"), timeout, what)

    def still_marked(self):
        try:
            return self.driver.execute_script("return window.__kouziWalkMark === true;") is True
        except Exception:  # between documents
            return False

    def settle(self, page, what, grace=2.0):
        """After a form's change has reached the server: waits for the page to reload if it does so within grace
        seconds (then checks the new page); a page that updates in place keeps its mark and is left as it is."""
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline:
            if not self.still_marked():
                self.wait_new_document(what)
                self.wait_page(page)
                return
            time.sleep(0.05)

    def open(self, path, page, allow_http_errors=False):
        """Loads a console page by address and checks it."""
        self.driver.get(self.url(path))
        return self.wait_page(page, allow_http_errors=allow_http_errors)

    def page_errors(self):
        """The messages the page shows in its error slots (ids ending in -error, .form-error, .field-error)."""
        try:
            return self.driver.execute_script("""
                return Array.from(document.querySelectorAll('[id$="-error"], .form-error, .field-error'))
                    .filter(function (e) { return e.textContent.trim() !== ''; })
                    .map(function (e) { return (e.id ? '#' + e.id : '.' + e.className) + ': ' + e.textContent.trim(); });""")
        except WebDriverException:
            return []

    @staticmethod
    def replaced(error):
        """Whether a WebDriver error says the element's document was replaced under it (Chromium reports this as a
        stale element, or as a node that "does not belong to the document")."""
        return isinstance(error, StaleElementReferenceException) or "does not belong to the document" in str(error)

    def page_kind(self):
        try:
            return self.driver.execute_script("return document.body && document.body.getAttribute('data-page')")
        except WebDriverException:  # between documents
            return None

    def click(self, target):
        """Finds and clicks an element that stays on this page (retried if the page replaced it meanwhile)."""
        find = target if callable(target) else (lambda: self.require(target))
        for attempt in range(ATTEMPTS):
            try:
                find().click()
                return
            except WebDriverException as error:
                if not self.replaced(error):
                    raise
                if attempt == ATTEMPTS - 1:
                    raise CheckFailed(f"{target}: the page kept replacing it through {ATTEMPTS} tries") from None
                self.wait_loaded()

    def wait_loaded(self):
        wait_until(lambda: self.driver.execute_script("return document.readyState") == "complete", 30,
                   f"{self.path()} to load")

    def click_to(self, target, page, what, double=False, allow_http_errors=False):
        """Clicks (or double-clicks) something that leads to another page, and checks that page. `target` is a CSS
        selector or a function that finds the element. A page that replaces itself (a live job page reloading as its
        job ends) can do so between finding and clicking, or after the click and before the browser leaves it; both
        cost a retry of the whole find-mark-click instead of a failure."""
        find = target if callable(target) else (lambda: self.require(target))
        leaving = self.page_kind()
        for attempt in range(ATTEMPTS):
            last = attempt == ATTEMPTS - 1
            try:
                element = find()
                self.mark_document()
                if double:
                    ActionChains(self.driver).double_click(element).perform()
                else:
                    element.click()
            except WebDriverException as error:
                if not self.replaced(error):
                    raise
                if last:
                    raise CheckFailed(f"{what}: the page kept replacing the element through {ATTEMPTS} tries") from None
                self.wait_loaded()
                continue
            try:
                self.wait_new_document(what)
            except CheckFailed as error:
                shown = self.page_errors()
                if shown:
                    raise CheckFailed(f"{error}; the page shows {shown}") from None
                raise
            if not last and page is not None and leaving != page and self.page_kind() == leaving:
                continue  # the page reloaded itself instead of following the click
            break
        return self.wait_page(page, allow_http_errors=allow_http_errors)

    def wait_page(self, page, allow_http_errors=False):
        """Waits for a loaded document with body[data-page=page]; checks the layout and the browser log."""
        wait_until(lambda: self.driver.execute_script("return document.readyState") == "complete", 30,
                   f"page {page} to load")
        if page is not None:
            actual = self.driver.execute_script("return document.body && document.body.getAttribute('data-page')")
            checks.equal(actual, page, f"body[data-page] of {self.path()}")
            self.layout_checks()
        self.console_check(allow_http_errors)

    def layout_checks(self):
        for link in NAV_LINKS:
            element = self.require(f"#{link}", "navigation")
            href = element.get_attribute("href") or ""
            checks(f"/p/{self.p}/" in href, f"#{link} links to {href!r}, not into /p/{self.p}/")
        checks(self.text("h1") != "", f"{self.path()} has no <h1> with text")
        repeated = self.driver.execute_script("""
            var seen = {}, twice = [];
            document.querySelectorAll('[id]').forEach(function (e) {
                if (seen[e.id] && twice.indexOf(e.id) < 0) twice.push(e.id);
                seen[e.id] = true;
            });
            return twice;""")
        checks(not repeated, f"ids used more than once on {self.path()}: {repeated}")

    def console_check(self, allow_http_errors=False, ignore=None):
        """No SEVERE browser console message since the last check (with allow_http_errors: except 4xx answers)."""
        entries = self.driver.get_log("browser")
        severe = []
        for entry in entries:
            if self.show_browser_log:
                say(f"  browser {entry['level']}: {entry['message']}")
            if entry["level"] != "SEVERE":
                continue
            if allow_http_errors and entry.get("source") == "network" and HTTP_ERROR.search(entry["message"]):
                continue
            if ignore is not None and ignore.search(entry["message"]):
                continue
            severe.append(entry["message"])
        checks(not severe, f"SEVERE browser console messages on {self.path()}: " + " | ".join(severe))

    def screenshot(self, name):
        path = os.path.join(self.screenshot_dir, f"{self.number:02d}-{name}.png")
        self.driver.save_screenshot(path)

    def scroll_to(self, css):
        """Scrolls the element to the top of the window, so that the step's screenshot shows it."""
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'start'});", self.require(css))

    @staticmethod
    def set_field(element, value):
        """Types into an input, picks in a select (by value, else by visible text), ticks a checkbox, or attaches a file."""
        tag = element.tag_name.lower()
        kind = (element.get_attribute("type") or "").lower()
        if tag == "select":
            select = Select(element)
            values = [option.get_attribute("value") for option in select.options]
            if str(value) in values:
                select.select_by_value(str(value))
            else:
                texts = [option.text.strip() for option in select.options]
                matches = [i for i, text in enumerate(texts) if text == str(value)] or \
                          [i for i, text in enumerate(texts) if str(value) in text]
                checks(len(matches) > 0, f"select #{element.get_attribute('id')} has no option {value!r} "
                                         f"(values {values}, texts {texts})")
                select.select_by_index(matches[0])
        elif kind == "checkbox":
            if element.is_selected() != bool(value):
                element.click()
        elif kind == "file":
            element.send_keys(value)
        else:
            element.clear()
            if str(value):
                element.send_keys(str(value))

    def api_count(self, path, **query):
        return len(self.api.all_pages(self.base + path, **query))

    # The walk -----------------------------------------------------------------------------------------------------

    def steps(self):
        return [
            ("browser", self.step_browser),
            ("unauthenticated", self.step_unauthenticated),
            ("bad-login", self.step_bad_login),
            ("login", self.step_login),
            ("datasets", self.step_datasets),
            ("upload-invalid", self.step_upload_invalid),
            ("upload", self.step_upload),
            ("dataset", self.step_dataset),
            ("cleaning", self.step_cleaning),
            ("labelling", self.step_labelling),
            ("labelling-media", self.step_labelling_media),
            ("training-invalid", self.step_training_invalid),
            ("training", self.step_training),
            ("job-live", self.step_job_live),
            ("compare", self.step_compare),
            ("models", self.step_models),
            ("alias", self.step_alias),
            ("model-version", self.step_model_version),
            ("importances", self.step_importances),
            ("explain-job", self.step_explain_job),
            ("deploy", self.step_deploy),
            ("try-it", self.step_try_it),
            ("explain-image", self.step_explain_image),
            ("explain-text", self.step_explain_text),
            ("split", self.step_split),
            ("promote", self.step_promote),
            ("deployments", self.step_deployments),
            ("monitoring", self.step_monitoring),
            ("monitoring-deployment", self.step_monitoring_deployment),
            ("keyboard", self.step_keyboard),
            ("narrow", self.step_narrow),
            ("timings", self.step_timings),
            ("viewer", self.step_viewer),
        ]

    def run(self, selected=None):
        steps = self.steps()
        names = [name for name, _ in steps]
        if selected:
            unknown = [name for name in selected if name not in names]
            if unknown:
                raise CheckFailed(f"[walk] unknown steps {unknown}; the steps are {', '.join(names)}")
            # Later steps need the session; the steps that make what others use run when those are asked for.
            needs = {"training": ["upload"], "training-invalid": ["upload"], "job-live": ["upload", "training"],
                     "try-it": ["deploy"], "split": ["deploy"], "promote": ["deploy", "split"], "upload": [],
                     "dataset": ["upload"], "cleaning": ["upload"]}
            wanted = {"login"} | set(selected)
            for name in selected:
                wanted |= set(needs.get(name, []))
        started = time.monotonic()
        for number, (name, function) in enumerate(steps, start=1):
            if selected and name not in wanted:
                continue
            checks.step = name
            self.number = number
            before = checks.passed
            step_start = time.monotonic()
            function()
            self.console_check()
            self.screenshot(name)
            say(f"walk: {number:02d} {name}: {checks.passed - before} checks, {time.monotonic() - step_start:.1f} s")
        say(f"walk: done in {time.monotonic() - started:.1f} s")

    def step_browser(self):
        """Chromium runs and reaches the server."""
        self.driver.get(self.url("/healthz"))
        checks('"ok"' in self.driver.find_element(By.TAG_NAME, "body").text, "/healthz does not answer ok in the browser")
        # A JSON answer has no <link rel="icon">, so Chromium asks for /favicon.ico; that 404 is not the console's.
        self.console_check(ignore=re.compile(r"/favicon\.ico - Failed to load resource"))

    def step_unauthenticated(self):
        """Without a session a console page sends the browser to /login."""
        if not self.driver.current_url.startswith(self.base_url):
            self.driver.get(self.url("/healthz"))
        self.driver.delete_all_cookies()
        self.driver.get(self.url(f"/p/{self.p}/datasets"))
        wait_until(lambda: self.path() == "/login", 10, "the redirect of an unauthenticated page to /login")
        self.console_check()

    def login_form(self, token):
        self.require("#login-form")
        field = self.require("#token")
        self.set_field(field, token)
        return self.require("#login-submit")

    def step_bad_login(self):
        """A wrong token: a message in #token-error, still on /login, no session cookie."""
        self.driver.get(self.url("/login"))
        self.wait_page(None)
        submit = self.login_form("kz_" + "0" * 48)
        submit.click()
        wait_until(lambda: self.text("#token-error"), 10, "#token-error to show a message")
        checks.equal(self.path(), "/login", "the page after a wrong token")
        checks(self.driver.get_cookie(SESSION_COOKIE) is None, "a wrong token set the session cookie")
        self.console_check(allow_http_errors=True)

    def step_login(self):
        """The right token: the session cookie, and the datasets page."""
        if self.path() != "/login":
            self.driver.get(self.url("/login"))
            self.wait_page(None)
        submit = self.login_form(self.api.token)
        self.mark_document()
        submit.click()
        wait_until(lambda: self.path() == f"/p/{self.p}/datasets", 15, f"the redirect to /p/{self.p}/datasets")
        self.wait_page("datasets")
        cookie = self.driver.get_cookie(SESSION_COOKIE)
        checks(cookie is not None, f"no {SESSION_COOKIE} cookie after logging in")
        checks(cookie.get("httpOnly") is True, f"the {SESSION_COOKIE} cookie is readable from scripts (not HttpOnly)")
        self.session = cookie["value"]
        checks(self.session != self.api.token and self.session.startswith("ks_"),
               f"the {SESSION_COOKIE} cookie holds the API token instead of a session's own secret")
        sessions = self.api.get("/api/v1/sessions")
        checks(any(self.session.startswith(s["prefix"]) for s in sessions), "GET /api/v1/sessions does not list the new session")

    def step_datasets(self):
        """The datasets table lists the seeded datasets; the upload form is there."""
        if self.path() != f"/p/{self.p}/datasets":
            self.open(f"/p/{self.p}/datasets", "datasets")
        links = [a.text.strip() for a in self.finds("#datasets a.dataset-link")]
        for name in ["equipment-sensors", "equipment-holdout"]:
            checks(name in links, f"#datasets does not list {name} (links: {links})")
        for css in ["#upload-form", "#upload-name", "#upload-file", "#upload-submit"]:
            self.require(css)

    def upload_path(self):
        path = os.path.join(self.work_dir, "walk-readings.csv")
        if not os.path.exists(path):
            with open(path, "wb") as file:
                file.write(table_csv(UPLOAD_ROWS, seed=31))
        return path

    def optional_upload_fields(self):
        """Format and label column, where the form asks for them (the contract does not require them)."""
        for css, value in [("#upload-format", "csv"), ("#upload-target", "label")]:
            if self.exists(css):
                self.set_field(self.find(css), value)

    def step_upload_invalid(self):
        """Submitting without a name: #upload-name-error says so, and no dataset is made."""
        if self.path() != f"/p/{self.p}/datasets":
            self.open(f"/p/{self.p}/datasets", "datasets")
        before = self.api_count("/datasets")
        self.set_field(self.require("#upload-name"), "")
        self.set_field(self.require("#upload-file"), self.upload_path())
        self.optional_upload_fields()
        self.click("#upload-submit")
        try:
            wait_until(lambda: self.text("#upload-name-error"), 10, "#upload-name-error to show a message")
        except CheckFailed:
            invalid = self.driver.execute_script(
                "var e = document.querySelector('#upload-name'); return e ? !e.checkValidity() : false;")
            if invalid:
                raise CheckFailed("[upload-invalid] the browser's own validation (required/pattern on #upload-name) "
                                  "stopped the submission and #upload-name-error stayed empty: give the form novalidate "
                                  "or fill #upload-name-error from script") from None
            raise
        checks(self.path().startswith(f"/p/{self.p}/datasets"), f"an invalid upload left the datasets page for {self.path()}")
        self.console_check(allow_http_errors=True)
        time.sleep(0.5)
        checks.equal(self.api_count("/datasets"), before, "datasets after an upload without a name")

    def step_upload(self):
        """A valid upload, submitted with a double click: exactly one dataset with one version, and its page."""
        if not self.path().startswith(f"/p/{self.p}/datasets"):
            self.open(f"/p/{self.p}/datasets", "datasets")
        before = self.api.all_pages(self.base + "/datasets")
        self.upload_name = f"walk-readings-{self.stamp}"
        self.set_field(self.require("#upload-name"), self.upload_name)
        self.optional_upload_fields()
        file_input = self.require("#upload-file")
        if not file_input.get_attribute("value"):
            self.set_field(file_input, self.upload_path())
        self.click_to("#upload-submit", "dataset", "the dataset page after the upload", double=True)
        match = re.fullmatch(rf"/p/{self.p}/datasets/(\d+)", self.path())
        checks(match is not None, f"the upload led to {self.path()}, not /p/{self.p}/datasets/ID")
        time.sleep(1.0)  # a second submission would have arrived by now
        after = self.api.all_pages(self.base + "/datasets")
        created = [d for d in after if d["id"] not in {b["id"] for b in before}]
        checks.equal(len(created), 1, "datasets made by a double-clicked upload")
        checks.equal(created[0]["name"], self.upload_name, "the uploaded dataset's name")
        checks.equal(int(match.group(1)), created[0]["id"], "the dataset page's id")
        versions = self.api.get(f"{self.base}/datasets/{created[0]['id']}/versions")
        checks.equal(len(versions), 1, "versions of the uploaded dataset")
        checks.equal(versions[0]["rowCount"], UPLOAD_ROWS, "rows of the uploaded version")
        self.upload_id = created[0]["id"]

    def dataset_page_checks(self, dataset_id, numeric_columns):
        versions = self.api.get(f"{self.base}/datasets/{dataset_id}/versions")
        nodes = self.finds("svg#lineage .lineage-node")
        checks(self.exists("svg#lineage"), f"no svg#lineage on {self.path()}")
        checks.equal(len(nodes), len(versions), f"lineage nodes on {self.path()}")
        # Categorical columns are charted as bars of their values (svg.category-chart), numeric ones as histograms.
        histograms = self.finds("#profile svg.histogram")
        checks.equal(len(histograms), numeric_columns, f"numeric histograms (svg.histogram) in #profile on {self.path()}")
        checks(self.text("#quality") != "", f"#quality is empty on {self.path()}")

    def step_dataset(self):
        """The uploaded dataset's page (one version) and the seeded one (upload, then cleaning: two lineage nodes)."""
        expected = f"/p/{self.p}/datasets/{self.upload_id}"
        if self.path() != expected:
            self.open(expected, "dataset")
        self.dataset_page_checks(self.upload_id, len(FEATURES))
        self.screenshot("dataset-uploaded")
        self.open(f"/p/{self.p}/datasets/{self.state['dataset']}", "dataset")
        self.dataset_page_checks(self.state["dataset"], len(FEATURES))
        checks("equipment-sensors" in self.text("h1") or "equipment-sensors" in self.text("body"),
               "the seeded dataset's page does not name it")

    def step_cleaning(self):
        """The cleaning builder on the uploaded dataset: a step, its preview (rows and what changed), then a new
        version that the lineage graph links to the first."""
        self.open(f"/p/{self.p}/datasets/{self.upload_id}", "dataset")
        Select(self.require("#clean-op")).select_by_value("standardize")
        self.click("#clean-add")
        boxes = self.finds("#clean-steps li.clean-step input[type=checkbox]")
        checks(len(boxes) == len(FEATURES), f"the standardise step offers {len(boxes)} numeric columns, not {len(FEATURES)}")
        boxes[0].click()
        self.click("#clean-preview-button")
        wait_until(lambda: self.exists("#clean-preview-table"), 15, "the preview table #clean-preview")
        preview = self.text("#clean-preview")
        checks("standardize" in preview and "rows" in preview, f"the preview does not say what the step did: {preview[:200]!r}")
        rows = self.finds("#clean-preview-table tbody tr")
        checks(0 < len(rows) <= 10, f"the preview shows {len(rows)} rows, not 1…10")
        before = len(self.api.get(f"{self.base}/datasets/{self.upload_id}/versions"))
        self.click_to("#clean-submit", "dataset", "the new version's page", double=True)
        versions = self.api.get(f"{self.base}/datasets/{self.upload_id}/versions")
        checks.equal(len(versions), before + 1, "versions after saving the pipeline (double click)")
        checks.equal(versions[-1].get("parentNumber"), 1, "the parent of the cleaned version")
        checks.equal(len(self.finds("svg#lineage .lineage-node")), len(versions), "lineage nodes after cleaning")
        checks(len(self.finds("svg#lineage path.edge")) >= 1, "no edge between the versions in svg#lineage")
        checks(self.exists("svg#lineage .lineage-node.current"), "the shown version is not marked in svg#lineage")

    def step_labelling(self):
        """Labelling: a schema and a task made in the forms, then items labelled with the number keys, progress shown."""
        name = f"walk-unlabelled-{self.stamp}"
        dataset = self.api.post(f"{self.base}/datasets", {"name": name})
        rows = ["text,sentiment", '"A wonderful, moving film that stays with you long after it ends",',
                '"Dull and far too long",', '"I laughed and I cried",']
        self.api.post(f"{self.base}/datasets/{dataset['id']}/versions/upload", ("\n".join(rows) + "\n").encode(),
                      query={"format": "csv", "filename": "reviews.csv"})
        self.open(f"/p/{self.p}/datasets/{dataset['id']}", "dataset")
        Select(self.require("#schema-type")).select_by_value("classes")
        self.set_field(self.require("#schema-classes"), "positive, negative")
        self.set_field(self.require("#schema-column"), "sentiment")
        self.mark_document()
        self.click("#schema-submit")
        self.wait_new_document("the page after saving the schema")
        self.wait_page("dataset")
        schema = self.api.get(f"{self.base}/datasets/{dataset['id']}").get("labelSchema") or {}
        checks.equal(schema.get("classes"), ["positive", "negative"], "the classes saved from the schema form")
        self.click_to("#task-submit", "label", "the labelling page", double=True)
        tasks = re.findall(r"/label/(\d+)$", self.path())
        checks(bool(tasks), f"the task form led to {self.path()}, not a labelling page")
        wait_until(lambda: "wonderful" in self.text("#label-item"), 10, "the first item in #label-item")
        choices = [b.text for b in self.finds("#label-choices .label-choice")]
        checks(any("positive" in c for c in choices) and any("negative" in c for c in choices), f"label buttons: {choices}")
        body = self.driver.find_element(By.TAG_NAME, "body")
        body.send_keys("1")
        wait_until(lambda: "Dull" in self.text("#label-item"), 10, "the second item after pressing 1")
        checks("1 of 3" in self.text("#label-progress"), f"progress after one label: {self.text('#label-progress')!r}")
        body.send_keys("2")
        wait_until(lambda: "laughed" in self.text("#label-item"), 10, "the third item after pressing 2")
        self.find("#label-choices .label-choice[data-label=positive]").click()
        wait_until(lambda: self.exists("#label-done"), 10, "#label-done after the last item")
        checks("3 of 3" in self.text("#label-progress"), f"progress at the end: {self.text('#label-progress')!r}")
        items = self.api.get(f"{self.base}/datasets/{dataset['id']}/label-tasks/{tasks[0]}/items")
        labels = [list(item["annotations"].values()) for item in items]
        checks.equal(labels, [["positive"], ["negative"], ["positive"]], "the labels stored for the three items")

    def label_media(self, name, files, fmt, check):
        """Uploads an archive with an unlabelled/ folder, makes a task over it through the API and returns the
        labelling page's check of the first item's media element."""
        dataset = self.api.post(f"{self.base}/datasets", {"name": f"{name}-{self.stamp}"})
        self.api.post(f"{self.base}/datasets/{dataset['id']}/versions/upload", zip_bytes(files),
                      query={"format": fmt, "filename": f"{name}.zip"})
        self.api.put(f"{self.base}/datasets/{dataset['id']}/label-schema", {"type": "classes", "classes": ["a", "b"], "column": "label"})
        task = self.api.post(f"{self.base}/datasets/{dataset['id']}/versions/1/label-tasks", {})
        self.open(f"/p/{self.p}/datasets/{dataset['id']}/label/{task['id']}", "label")
        wait_until(lambda: self.driver.execute_script(check), 15, f"the {name} item to load in the browser")
        self.driver.find_element(By.TAG_NAME, "body").send_keys("2")
        wait_until(lambda: "1 of 2" in self.text("#label-progress"), 10, f"progress after labelling a {name} item")
        items = self.api.get(f"{self.base}/datasets/{dataset['id']}/label-tasks/{task['id']}/items")
        checks.equal(sorted(v for item in items for v in item["annotations"].values()), ["b"], f"the label stored for the {name} item")

    def step_labelling_media(self):
        """Labelling shows images (decoded by the browser) and plays sounds (their duration read by the browser)."""
        square = png_bytes(16, 16, lambda x, y: 255 if (x // 4 + y // 4) % 2 else 0)
        self.label_media("images", {"a/one.png": square, "b/two.png": square, "unlabelled/three.png": square,
                                    "unlabelled/four.png": square}, "image-folder",
                         "var i = document.getElementById('label-image'); return i && i.complete && i.naturalWidth === 16;")
        tone = wav_bytes(0.5)
        self.label_media("sounds", {"a/one.wav": tone, "b/two.wav": tone, "unlabelled/three.wav": tone,
                                    "unlabelled/four.wav": tone}, "audio-folder",
                         "var a = document.getElementById('label-audio'); return a && a.readyState >= 1 && Math.abs(a.duration - 0.5) < 0.01;")

    def step_keyboard(self):
        """Keys: g then 2 opens Training; ? opens the help dialog, Escape closes it; every control is reachable."""
        self.open(f"/p/{self.p}/datasets", "datasets")
        body = self.driver.find_element(By.TAG_NAME, "body")
        self.mark_document()
        body.send_keys("g")
        body.send_keys("2")
        self.wait_new_document("the training page after g 2")
        self.wait_page("training")
        checks.equal(self.path(), f"/p/{self.p}/training", "the page after g 2")
        self.driver.find_element(By.TAG_NAME, "body").send_keys("?")
        wait_until(lambda: self.driver.execute_script("return document.getElementById('help').open"), 5, "the help dialog")
        ActionChains(self.driver).send_keys("\ue00c").perform()
        wait_until(lambda: not self.driver.execute_script("return document.getElementById('help').open"), 5,
                   "the help dialog to close on Escape")
        unreachable = self.driver.execute_script("""
            return Array.from(document.querySelectorAll('button, input, select, textarea, a[href]'))
                .filter(function (e) { return !e.hidden && e.type !== 'hidden' && e.tabIndex < 0 && !e.closest('dialog'); })
                .map(function (e) { return e.id || e.outerHTML.slice(0, 60); });""")
        checks(not unreachable, f"controls out of the tab order: {unreachable}")

    def step_narrow(self):
        """A narrow window (400 px): no page scrolls sideways as a whole (wide tables scroll in their own box)."""
        size = self.driver.get_window_size()
        self.driver.set_window_size(400, 900)
        try:
            for path, page in [(f"/p/{self.p}/datasets/{self.upload_id}", "dataset"), (f"/p/{self.p}/training", "training"),
                               (f"/p/{self.p}/deployments/{self.walk_deployment}", "deployment"),
                               (f"/p/{self.p}/monitoring/{self.state['deployment']}", "monitoring-deployment")]:
                self.open(path, page)
                overflow = self.driver.execute_script(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
                checks(overflow <= 1, f"{path} is {overflow} px wider than a 400 px window")
            self.screenshot("narrow-monitoring")
        finally:
            self.driver.set_window_size(size["width"], size["height"])

    def step_viewer(self):
        """A viewer's token: pages show, but no form that changes something; the API refuses a change with 403."""
        token = self.api.post("/api/v1/tokens", {"name": f"walk-viewer-{self.stamp}", "role": "viewer"})
        secret = token.get("secret") or token.get("token")
        checks(bool(secret), f"POST /api/v1/tokens answered no secret: {sorted(token)}")
        self.driver.delete_all_cookies()
        self.driver.get(self.url("/login"))
        self.wait_page(None)
        self.mark_document()
        self.login_form(secret).click()
        self.wait_new_document("the page after the viewer logs in")
        self.wait_page("datasets")
        checks("viewer" in self.text("#who"), f"#who does not show the viewer role: {self.text('#who')!r}")
        for path, page, absent in [
            (f"/p/{self.p}/datasets", "datasets", ["#upload-form"]),
            (f"/p/{self.p}/training", "training", ["#train-form"]),
            (f"/p/{self.p}/models/{self.state['modelID']}", "model", ["#alias-form", "#deploy-form"]),
            (f"/p/{self.p}/deployments/{self.state['deployment']}", "deployment", ["#split-form", "button.promote", "#undeploy-form"]),
        ]:
            self.open(path, page)
            for css in absent:
                checks(not self.exists(css), f"a viewer sees {css} on {path}")
        status = self.driver.execute_async_script("""
            var done = arguments[arguments.length - 1];
            fetch(arguments[0], {method: 'PUT', credentials: 'same-origin',
                                 headers: {'Content-Type': 'application/json', 'X-Kouzi-Console': '1'},
                                 body: JSON.stringify({variants: []})}).then(function (r) { done(r.status); });""",
            f"{self.base}/deployments/{self.state['deployment']}/split")
        checks.equal(status, 403, "the status of a viewer's split change through the console session")
        self.console_check(allow_http_errors=True)
        # Revoked through the API, the viewer's session ends at once: the next page asks to log in.
        viewer = self.driver.get_cookie(SESSION_COOKIE)["value"]
        session = next((s for s in self.api.get("/api/v1/sessions") if viewer.startswith(s["prefix"])), None)
        checks(session is not None, "GET /api/v1/sessions does not list the viewer's session")
        if session:
            revoked = self.api.request("DELETE", f"/api/v1/sessions/{session['id']}")
            checks(revoked.get("revokedAt") is not None, f"DELETE /api/v1/sessions/{session['id']} answered {revoked}")
            self.driver.get(self.url(f"/p/{self.p}/datasets"))
            wait_until(lambda: self.path() == "/login", 10, "the redirect to /login after the session was revoked")

    def open_training(self):
        if self.path() != f"/p/{self.p}/training":
            if self.exists("#nav-training"):
                self.click_to("#nav-training", "training", "the training page from the navigation")
            else:
                self.open(f"/p/{self.p}/training", "training")

    def choose_template(self, template, present, absent):
        self.set_field(self.require("#train-template"), template)
        wait_until(lambda: self.exists(f"#hp-fields #hp-{present}") and not self.exists(f"#hp-fields #hp-{absent}"), 10,
                   f"#hp-fields rebuilt for {template} (#hp-{present} present, #hp-{absent} gone)")

    def fill_training_form(self, hyperparameters):
        self.choose_template("logistic_regression", "weight_decay", "units")
        self.choose_template(LIVE_TEMPLATE, "units", "weight_decay")
        self.set_field(self.require("#train-dataset"), self.upload_name)
        self.set_field(self.require("#train-target"), "label")
        self.walk_model = f"walk-model-{self.stamp}"
        self.set_field(self.require("#train-model"), self.walk_model)
        for name, value in hyperparameters.items():
            self.set_field(self.require(f"#hp-{name}"), value)

    def step_training_invalid(self):
        """The training form: #hp-fields follow the template; an out-of-range epochs value is refused in #hp-epochs-error."""
        self.open_training()
        rows = self.finds("#jobs tr.job-row")
        checks(len(rows) >= 20, f"#jobs shows {len(rows)} rows; the project has {len(self.state['jobIDs'])} jobs")
        checks(all(row.find_elements(By.CSS_SELECTOR, "input.compare-box") for row in rows[:20]),
               "a job row without input.compare-box")
        before = self.api_count("/jobs")
        self.fill_training_form(dict(LIVE_HYPERPARAMETERS, epochs="0"))
        self.click("#train-submit")
        wait_until(lambda: self.text("#hp-epochs-error"), 10, "#hp-epochs-error to show a message")
        self.console_check(allow_http_errors=True)
        time.sleep(0.5)
        checks.equal(self.api_count("/jobs"), before, "jobs after submitting epochs=0")

    def step_training(self):
        """A valid submission, double-clicked: exactly one job, and its page."""
        self.open_training()
        before = self.api.all_pages(self.base + "/jobs")
        self.fill_training_form(LIVE_HYPERPARAMETERS)
        self.click_to("#train-submit", "job", "the job page after submitting", double=True)
        match = re.fullmatch(rf"/p/{self.p}/jobs/(\d+)", self.path())
        checks(match is not None, f"the submission led to {self.path()}, not /p/{self.p}/jobs/ID")
        self.live_started = time.monotonic()
        self.live_job = int(match.group(1))
        time.sleep(1.0)
        after = self.api.all_pages(self.base + "/jobs")
        created = [j for j in after if j["id"] not in {b["id"] for b in before}]
        checks.equal(len(created), 1, "jobs made by a double-clicked submission")
        job = created[0]
        checks.equal(job["id"], self.live_job, "the job page's id")
        checks.equal(job["request"].get("template"), LIVE_TEMPLATE, "the job's template")
        checks.equal(job.get("modelName"), self.walk_model, "the job's model")
        checks.equal(job["dataset"]["id"], self.upload_id, "the job's dataset")
        checks.equal(job["request"].get("target"), "label", "the job's target")
        checks.equal(job["request"].get("hyperparameters", {}).get("epochs"), int(LIVE_HYPERPARAMETERS["epochs"]),
                     "the job's epochs")

    def step_job_live(self):
        """The job page streams: data-points of svg#live-curve grows at least twice, #job-state reaches succeeded."""
        expected = f"/p/{self.p}/jobs/{self.live_job}"
        if self.path() != expected:
            self.open(expected, "job")
        self.require("svg#live-curve")
        seen, states = [], []
        deadline = time.monotonic() + LIVE_TIMEOUT
        finished_at = None
        while time.monotonic() < deadline:
            try:
                points = self.driver.execute_script(
                    "var s = document.querySelector('svg#live-curve'); return s ? s.getAttribute('data-points') : null;")
            except WebDriverException:  # the page is reloading
                points = None
            state = self.text("#job-state").lower()
            if points is not None and points.strip().isdigit() and (not seen or int(points) != seen[-1]):
                seen.append(int(points))
            if not states or states[-1] != state:
                states.append(state)
            checks("failed" not in state and "cancelled" not in state, f"the job ended {state!r}")
            increases = sum(1 for a, b in zip(seen, seen[1:]) if b > a)
            if "succeeded" in state:
                finished_at = finished_at or time.monotonic()
                # Once succeeded, give the stream a moment to deliver its last points.
                if increases >= 2 or time.monotonic() - finished_at > 2:
                    break
            time.sleep(0.1)
        increases = sum(1 for a, b in zip(seen, seen[1:]) if b > a)
        say(f"walk: live curve data-points {seen}; states {states}; {time.monotonic() - self.live_started:.1f} s after submission")
        checks(seen and seen[-1] > 0, f"svg#live-curve never had data-points > 0 (saw {seen})")
        checks(increases >= 2, f"data-points grew {increases} times while the page was open (saw {seen}, states {states}); "
                               "the curve must be streamed while the job runs")
        checks("succeeded" in self.text("#job-state").lower(), f"#job-state is {self.text('#job-state')!r}, not succeeded")
        checks(self.api.get(f"{self.base}/jobs/{self.live_job}")["state"] == "succeeded", "the job did not succeed")
        wait_until(lambda: "epoch" in self.text("pre#logs"), 10, "pre#logs to show the job's epoch lines")
        wait_until(lambda: "left" not in self.text("#job-progress"), 10,
                   f"#job-progress of the finished job to drop its time left (shows {self.text('#job-progress')!r})")

    def step_compare(self):
        """Two ticked jobs, compared: /p/P/compare?jobs=A,B."""
        self.open_training()
        boxes = self.finds("#jobs tr.job-row input.compare-box")
        checks(len(boxes) >= 2, "fewer than two input.compare-box in #jobs")
        picked = []
        for box in boxes[:2]:
            self.set_field(box, True)
            picked.append(box.get_attribute("value"))
        self.click_to("#compare-button", "compare", "the comparison page")
        checks.equal(self.path(), f"/p/{self.p}/compare", "the comparison page's path")
        jobs = self.query().get("jobs", [""])[0]
        checks(re.fullmatch(r"\d+,\d+", jobs) is not None, f"compare?jobs={jobs!r} does not name two jobs")
        if all(value and value.isdigit() for value in picked):
            checks.equal(sorted(jobs.split(",")), sorted(picked), "the compared jobs (the ticked boxes' values)")
        self.compare_jobs = jobs

    def open_model(self):
        self.open(f"/p/{self.p}/models/{self.state['modelID']}", "model")

    def model_link(self, name):
        links = [a for a in self.finds("#models a.model-link") if a.text.strip() == name]
        checks(len(links) > 0, f"#models has no link named {name}")
        return links[0]

    def step_models(self):
        """The models table, and the seeded model's page with its 20 versions."""
        self.click_to("#nav-models", "models", "the models page from the navigation")
        links = {a.text.strip(): a for a in self.finds("#models a.model-link")}
        for name in [self.state["model"], "lr-sweep", "mlp-sweep"] + ([self.walk_model] if hasattr(self, "walk_model") else []):
            checks(name in links, f"#models does not list {name} (links: {sorted(links)})")
        self.click_to(lambda: self.model_link(self.state["model"]), "model", f"the page of {self.state['model']}")
        checks.equal(self.path(), f"/p/{self.p}/models/{self.state['modelID']}", "the model page's path")
        rows = self.finds("#versions tr.version-row")
        checks.equal(len(rows), self.state["modelVersions"], "rows of #versions")

    def alias_target(self, alias):
        return self.api.get(f"{self.base}/models/{self.state['modelID']}").get("aliases", {}).get(alias)

    def set_alias(self, alias, version):
        self.set_field(self.require("#alias-name"), alias)
        self.set_field(self.require("#alias-version"), str(version))
        self.mark_document()
        self.click("#alias-submit")
        wait_until(lambda: self.alias_target(alias) == version, 10, f"alias {alias} to point at version {version}")
        self.settle("model", "the model page after setting the alias")

    def step_alias(self):
        """The alias form sets staging to one version, then moves it to the next."""
        if self.path() != f"/p/{self.p}/models/{self.state['modelID']}":
            self.open_model()
        low, high = self.state["modelVersions"] - 2, self.state["modelVersions"] - 1
        self.set_alias("staging", low)
        self.set_alias("staging", high)
        self.open_model()
        checks("staging" in self.text("#versions") or "staging" in self.text("body"),
               "the model page does not show the alias staging")

    def step_model_version(self):
        """The evaluated version's page: confusion matrix and ROC curves."""
        version = self.state["evaluatedVersion"]
        self.open(f"/p/{self.p}/models/{self.state['modelID']}/versions/{version}", "model-version")
        for chart in ["svg#confusion", "svg#roc"]:
            self.require(chart, "the version has an evaluation")
            shapes = self.finds(f"{chart} rect, {chart} path, {chart} polyline, {chart} line, {chart} circle")
            checks(len(shapes) > 0, f"{chart} draws nothing")
        # The version downloads as ONNX through the console session: a protobuf whose first field is the IR version.
        links = self.finds("#version-facts a.download-onnx")
        checks(len(links) == 1, "the version page does not link its ONNX download")
        for link in links[:1]:
            answer = self.driver.execute_async_script("""
                var done = arguments[arguments.length - 1];
                fetch(arguments[0], {credentials: 'same-origin'}).then(function (r) {
                    return r.arrayBuffer().then(function (b) { done([r.status, new Uint8Array(b)[0] || 0, b.byteLength]); });
                });""", link.get_attribute("href"))
            checks.equal(answer[0], 200, "the status of the ONNX download")
            checks(answer[1] == 0x08 and answer[2] > 1000, f"the ONNX download is not an ONNX model: first byte {answer[1]}, {answer[2]} bytes")

    def version_path(self, version):
        return f"/p/{self.p}/models/{self.state['modelID']}/versions/{version}"

    def importance_bars(self):
        """(column, mean, lower, upper) of the bars of svg#importances-chart, top to bottom."""
        return [(g.get_attribute("data-label"), float(g.get_attribute("data-value")), float(g.get_attribute("data-lower")),
                 float(g.get_attribute("data-upper"))) for g in self.finds("svg#importances-chart g.interval")]

    def step_importances(self):
        """A measured version's page: the importance bars with their intervals, sorted, the score and where they were
        measured, and the comparison across versions; the model page compares the versions too."""
        explained = self.state["explainedVersions"]
        version = explained[0]
        self.open(self.version_path(version), "model-version")
        self.require("#importances-section")
        bars = self.importance_bars()
        checks.equal(sorted(b[0] for b in bars), sorted(FEATURES), "the columns of svg#importances-chart")
        means = [b[1] for b in bars]
        checks.equal(means, sorted(means, reverse=True), "the order of the importance bars (largest drop first)")
        checks(all(low <= mean <= high for _, mean, low, high in bars), f"a bar's mean lies outside its interval: {bars}")
        checks.equal(len(self.finds("svg#importances-chart g.interval line.whisker")), 3 * len(FEATURES),
                     "whisker lines (a line and two caps per column)")
        measured = self.api.get(f"{self.base}/models/{self.state['modelID']}/importances")
        mine = next(v for v in measured["versions"] if v["version"] == version)
        facts = self.text("#importances-facts")
        checks("accuracy" in facts and "equipment-holdout" in facts and f"job {mine['jobID']}" in facts,
               f"#importances-facts does not name the metric, the data and the job: {facts!r}")
        self.require(f"#importances-facts a[href='/p/{self.p}/jobs/{mine['jobID']}']")
        self.check_comparison(explained, current=version)
        self.scroll_to("#importances-section")
        self.screenshot("importances-version")
        self.open_model()
        self.check_comparison(explained, current=None)
        self.scroll_to("#importances-section")

    def check_comparison(self, versions, current):
        """table#importances-compare: a column per measured version, a row per model column, the shown version marked."""
        table = self.require("table#importances-compare")
        headers = [th.get_attribute("data-version") for th in table.find_elements(By.CSS_SELECTOR, "thead th[data-version]")]
        checks.equal(sorted(int(h) for h in headers), sorted(versions), "the versions compared in table#importances-compare")
        rows = [tr.get_attribute("data-column") for tr in table.find_elements(By.CSS_SELECTOR, "tbody tr[data-column]")]
        checks.equal(sorted(rows), sorted(FEATURES), "the rows of table#importances-compare")
        cells = table.find_elements(By.CSS_SELECTOR, "tbody tr[data-column] td[data-mean]")
        checks.equal(len(cells), len(FEATURES) * len(versions), "cells with a value in table#importances-compare")
        marked = [th.get_attribute("data-version") for th in table.find_elements(By.CSS_SELECTOR, "thead th.current")]
        checks.equal(marked, [str(current)] if current is not None else [], "the version marked in table#importances-compare")

    def step_explain_job(self):
        """A version without importances says so and offers the form: a bad number of shuffles is refused next to its
        field; then an explanation job runs and the version's page shows its importances."""
        version = min(self.state["explainedVersions"]) - 1
        self.open(self.version_path(version), "model-version")
        checks(self.text("#no-importances") != "", f"v{version} has no importances, but #no-importances is missing")
        self.require("#explain-form")
        options = [o.text for o in Select(self.require("#explain-dataset")).options]
        checks(any("equipment-holdout" in o for o in options), f"#explain-dataset does not offer equipment-holdout: {options}")
        checks(not any(name in " ".join(options) for name in ["squares", "reviews"]),
               f"#explain-dataset offers data without the model's columns: {options}")
        before = self.api_count("/jobs", kind="explain")
        self.set_field(self.require("#explain-dataset"), "equipment-holdout")
        self.set_field(self.require("#explain-repeats"), "1")
        self.click("#explain-submit")
        wait_until(lambda: self.text("#explain-repeats-error"), 10, "#explain-repeats-error after 1 shuffle")
        time.sleep(0.5)
        checks.equal(self.api_count("/jobs", kind="explain"), before, "explanation jobs after a refused form")
        self.set_field(self.require("#explain-repeats"), "3")
        self.click_to("#explain-submit", "job", "the explanation job's page")
        match = re.fullmatch(rf"/p/{self.p}/jobs/(\d+)", self.path())
        checks(match is not None, f"the form led to {self.path()}, not a job page")
        job = self.api.get(f"{self.base}/jobs/{match.group(1)}")
        checks.equal((job["kind"], job["modelVersion"]), ("explain", version), "the job's kind and version")
        wait_until(lambda: self.api.get(f"{self.base}/jobs/{job['id']}")["state"] in ("succeeded", "failed", "cancelled"), 60,
                   f"explanation job {job['id']} to finish")
        checks.equal(self.api.get(f"{self.base}/jobs/{job['id']}")["state"], "succeeded", "the explanation job's state")
        self.open(self.version_path(version), "model-version")
        checks(not self.exists("#no-importances"), "#no-importances is still shown after the job")
        checks.equal(sorted(b[0] for b in self.importance_bars()), sorted(FEATURES), "the columns measured by the form's job")
        self.check_comparison(self.state["explainedVersions"] + [version], current=version)
        self.scroll_to("#importances-section")

    def deployment_state(self):
        return self.text("#deployment-state").lower()

    def step_deploy(self):
        """The deploy form on the model page makes a deployment and leads to its page, which becomes ready."""
        self.open_model()
        self.walk_deployment = f"walk-{self.stamp}"
        self.walk_version = self.state["modelVersions"]
        self.other_version = self.state["modelVersions"] - 1
        self.set_field(self.require("#deploy-name"), self.walk_deployment)
        self.set_field(self.require("#deploy-version"), str(self.walk_version))
        self.click_to("#deploy-submit", "deployment", "the deployment page")
        checks.equal(self.path(), f"/p/{self.p}/deployments/{self.walk_deployment}", "the deployment page's path")
        deployment = self.api.get(f"{self.base}/deployments/{self.walk_deployment}")
        checks.equal(deployment["version"], self.walk_version, "the deployed version")
        started = time.monotonic()
        while "ready" not in self.deployment_state():
            if time.monotonic() - started > 60:
                raise CheckFailed(f"[deploy] #deployment-state is {self.deployment_state()!r} after 60 s")
            if time.monotonic() - started > 5 and self.api.get(f"{self.base}/deployments/{self.walk_deployment}")["state"] == "ready":
                # Ready on the server: a page that does not update itself shows it after a reload.
                self.open(self.path(), "deployment")
            time.sleep(0.2)

    def step_try_it(self):
        """The try-it form: one field per feature; a faulty machine's readings come back as faulty, with probabilities."""
        # The fields may be built from the model's metadata after the page loads.
        wait_until(lambda: len(self.finds("#try-form input.try-field")) >= len(FEATURES), 10,
                   f"{len(FEATURES)} input.try-field in #try-form")
        fields = self.finds("#try-form input.try-field")
        names = sorted(field.get_attribute("name") for field in fields)
        checks.equal(names, sorted(FEATURES), "the names of input.try-field")
        for field in fields:
            self.set_field(field, CENTRES["faulty"][FEATURES.index(field.get_attribute("name"))])
        self.click("#try-submit")
        wait_until(lambda: self.text("#try-result .prediction-label"), 15, "#try-result .prediction-label")
        label = self.text("#try-result .prediction-label")
        checks("faulty" in label, f"the prediction for a faulty machine's readings is {label!r}")
        rows = self.finds("#try-result table#try-probabilities tr")
        text = self.text("#try-result table#try-probabilities")
        checks(len([r for r in rows if r.find_elements(By.TAG_NAME, "td")]) >= len(CLASSES),
               f"table#try-probabilities has fewer than {len(CLASSES)} rows")
        for name in CLASSES:
            checks(name in text, f"table#try-probabilities does not name {name}")
        self.scroll_to("#try-section")
        self.screenshot("try-it-predict")
        # Explain: the same readings' Shapley values, one bar per column, that add up to prediction − base value.
        self.click("#try-explain")
        wait_until(lambda: self.exists("#try-explanation svg#try-attributions-0"), 20, "svg#try-attributions-0 in #try-explanation")
        bars = self.finds("#try-attributions-0 g.attribution")
        checks.equal(sorted(b.get_attribute("data-feature") for b in bars), sorted(FEATURES), "the columns of the attribution bars")
        values = [float(b.get_attribute("data-attribution")) for b in bars]
        checks(values == sorted(values, key=abs, reverse=True), f"the attribution bars are not ordered by size: {values}")
        checks(all(b.find_elements(By.CSS_SELECTOR, "rect.pos-fill" if v >= 0 else "rect.neg-fill") for b, v in zip(bars, values)),
               "an attribution bar is not coloured by its sign (rect.pos-fill / rect.neg-fill)")
        labels = " ".join(b.find_element(By.CSS_SELECTOR, "text").get_attribute("textContent") for b in bars)
        for index, name in enumerate(FEATURES):
            checks(f"{name} = {CENTRES['faulty'][index]:g}" in labels, f"the bar labels do not show {name}'s value: {labels!r}")
        figure = self.find("#try-explanation figure.explanation")
        caption = figure.find_element(By.TAG_NAME, "figcaption").text
        checks("faulty" in caption and "base value" in caption and "prediction" in caption,
               f"the explanation's caption does not state class, base value and prediction: {caption!r}")
        base, prediction = float(figure.get_attribute("data-base")), float(figure.get_attribute("data-prediction"))
        checks(abs(sum(values) - (prediction - base)) < 1e-3,
               f"the attributions add up to {sum(values):.5f}, not prediction − base value {prediction - base:.5f}")
        checks.equal(self.text("#try-explain-method"), "kernel_shap", "the method a table model is explained by")
        self.scroll_to("#try-section")

    def explain_and_wait(self, what, method=None):
        """Clicks #try-explain and waits until #try-explanation shows an answer (by `method`, if given)."""
        self.driver.execute_script("var b = document.getElementById('try-explanation'); b.removeAttribute('data-method'); b.textContent = '';")
        self.click("#try-explain")
        wait_until(lambda: self.find("#try-explanation").get_attribute("data-method") not in (None, ""), 30, what)
        if method:
            checks.equal(self.find("#try-explanation").get_attribute("data-method"), method, "the method of the explanation")

    def step_explain_image(self):
        """The image deployment: a picture with a square in the top-left corner is explained by a heat map drawn over
        it, by integrated gradients and then by Grad-CAM from the method selector."""
        name = self.state["imageDeployment"]
        self.open(f"/p/{self.p}/deployments/{name}", "deployment")
        wait_until(lambda: self.exists("#try-image") and self.exists("#try-method"), 10, "#try-image and #try-method")
        path = os.path.join(self.work_dir, "square-tl.png")
        with open(path, "wb") as file:
            file.write(square_png("tl"))
        self.set_field(self.find("#try-image"), path)
        wait_until(lambda: self.find("#try-form").get_attribute("data-pixels"), 10, "the image to be read into #try-canvas")
        for method in ["integrated_gradients", "grad_cam"]:
            self.set_field(self.find("#try-method"), method)
            self.explain_and_wait(f"the {method} heat map", method)
            canvas = self.require("#try-explanation canvas.heatmap#try-heatmap-0")
            checks.equal(canvas.get_attribute("data-cells"), "64", "heat-map cells (8 × 8)")
            checks(int(canvas.get_attribute("width")) >= 8 * 8, f"the heat map is drawn only {canvas.get_attribute('width')} px wide")
            coloured = self.driver.execute_script("""
                var c = arguments[0], d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data, n = 0;
                for (var i = 0; i < d.length; i += 4) { if (Math.abs(d[i] - d[i + 2]) > 40) n++; }
                return n;""", canvas)
            checks(coloured > 0, f"the {method} heat map colours no pixel over the image")
            checks.equal(self.text("#try-explanation .explained-class"), "tl", f"the class {method} explains")
            self.scroll_to("#try-section")
            if method == "integrated_gradients":
                self.screenshot("explain-image-ig")

    def step_explain_text(self):
        """The text deployment: a sentence's words coloured by attribution, the deciding word strongest, each with its
        number as a tooltip; 17 sentences at once are refused with the API's message in the panel."""
        name = self.state["textDeployment"]
        self.open(f"/p/{self.p}/deployments/{name}", "deployment")
        wait_until(lambda: self.exists("#try-text"), 10, "#try-text")
        checks(not self.exists("#try-method"), "a text model's panel offers the image methods")
        self.set_field(self.find("#try-text"), "what a great film")
        self.explain_and_wait("the coloured tokens", "kernel_shap")
        tokens = self.finds("#try-tokens-0 .token")
        checks.equal([t.get_attribute("data-token") for t in tokens], ["what", "a", "great", "film"], "the explained tokens")
        strongest = max(tokens, key=lambda t: abs(float(t.get_attribute("data-attribution"))))
        checks.equal(strongest.get_attribute("data-token"), "great", "the token that moved the answer most")
        checks(all(re.search(r"[+−±]\d", t.get_attribute("title") or "") for t in tokens),
               f"a token's tooltip has no number: {[t.get_attribute('title') for t in tokens]}")
        checks(all(t.value_of_css_property("background-color") not in ("", "rgba(0, 0, 0, 0)") for t in tokens),
               "a token is not coloured")
        checks.equal(self.text("#try-explanation .explained-class"), "pos", "the class the sentence is explained for")
        self.scroll_to("#try-section")
        self.screenshot("explain-text-tokens")
        self.set_field(self.find("#try-text"), "\n".join(["a great film"] * 17))
        self.click("#try-explain")
        wait_until(lambda: self.text("#try-form-error"), 20, "#try-form-error after 17 sentences")
        checks("16" in self.text("#try-form-error"), f"#try-form-error does not give the limit: {self.text('#try-form-error')!r}")
        self.console_check(allow_http_errors=True)

    def split_stats(self):
        return self.api.get(f"{self.base}/deployments/{self.walk_deployment}/split")

    def split_rows(self):
        """The split editor's rows (the elements around each input.split-weight)."""
        rows = []
        for weight in self.finds("#split-form input.split-weight"):
            around = weight.find_elements(By.XPATH, "./ancestor::*[self::tr or self::li or contains(@class, 'split-row')][1]")
            rows.append(around[0] if around else weight.find_element(By.XPATH, ".."))
        return rows

    @staticmethod
    def split_row_name(row):
        """A row's variant: its input.split-name's value, else the data-variant of its weight input."""
        names = row.find_elements(By.CSS_SELECTOR, "input.split-name")
        if names and names[0].get_attribute("value"):
            return names[0].get_attribute("value").strip()
        return row.find_element(By.CSS_SELECTOR, "input.split-weight").get_attribute("data-variant") or ""

    def fill_split(self, weights):
        """Sets the deployed version's row to weights[0] and a challenger row (added with #split-add unless it is
        there already) to the other version and weights[1]; returns the deployed version's variant name."""
        rows = self.split_rows()
        challengers = [row for row in rows if self.split_row_name(row) == "challenger"]
        existing = [row for row in rows if self.split_row_name(row) != "challenger"]
        checks(len(existing) >= 1, "the split editor shows no row for the deployed version")
        control = self.split_row_name(existing[0])
        checks(control != "", "the deployed version's row of the split editor has no variant name (data-variant)")
        if challengers:
            added = challengers[0]
        else:
            self.click("#split-add")
            wait_until(lambda: len(self.split_rows()) == len(rows) + 1, 5, "#split-add to add a row")
            added = [row for row in self.split_rows() if row not in rows][0]
            name_inputs = added.find_elements(By.CSS_SELECTOR, "input.split-name")
            checks(len(name_inputs) == 1, "the row added by #split-add has no input.split-name")
            self.set_field(name_inputs[0], "challenger")
        versions = added.find_elements(By.CSS_SELECTOR, "select.split-version")
        checks(len(versions) == 1, "the added row has no select.split-version")
        self.set_field(versions[0], str(self.other_version))
        self.set_field(existing[0].find_element(By.CSS_SELECTOR, "input.split-weight"), weights[0])
        self.set_field(added.find_element(By.CSS_SELECTOR, "input.split-weight"), weights[1])
        return control

    def step_split(self):
        """The split editor: zero weights are refused in #split-form-error; 70/30 with the other version is saved."""
        if self.path() != f"/p/{self.p}/deployments/{self.walk_deployment}":
            self.open(f"/p/{self.p}/deployments/{self.walk_deployment}", "deployment")
        self.require("#split-form")
        self.fill_split(["0", "0"])
        self.click("#split-submit")
        wait_until(lambda: self.text("#split-form-error"), 10, "#split-form-error after all-zero weights")
        self.console_check(allow_http_errors=True)
        checks.equal(self.split_stats(), [], "the split after all-zero weights")
        control = self.fill_split(["70", "30"])
        self.mark_document()
        self.click("#split-submit")
        wait_until(lambda: len(self.split_stats()) == 2, 10, "the split to be saved")
        self.settle("deployment", "the deployment page after saving the split")
        stats = {s["name"]: s for s in self.split_stats()}
        checks.equal(sorted(stats), sorted([control, "challenger"]), "the variants saved")
        checks.equal(stats["challenger"]["version"], self.other_version, "the challenger's version")
        checks.equal(stats[control]["version"], self.walk_version, f"{control}'s version")
        checks(abs(stats[control]["share"] - 0.7) < 1e-9 and abs(stats["challenger"]["share"] - 0.3) < 1e-9,
               f"the shares are {stats[control]['share']} and {stats['challenger']['share']}, not 0.7 and 0.3")
        wait_until(lambda: len(self.finds("#variants tr[data-variant]")) == 2, 10, "#variants to show two variants")
        for name, weight in [(control, "70"), ("challenger", "30")]:
            row = self.find(f'#variants tr[data-variant="{name}"]')
            checks(weight in row.text, f"the #variants row of {name} does not show {weight}: {row.text!r}")
        self.control = control

    def step_promote(self):
        """Promoting the challenger makes its version the deployment's only one."""
        buttons = self.finds("button.promote[data-variant]")
        checks.equal(sorted(b.get_attribute("data-variant") for b in buttons), sorted([self.control, "challenger"]),
                     "the variants of button.promote")
        button = self.find('button.promote[data-variant="challenger"]')
        self.mark_document()
        button.click()
        try:
            self.driver.switch_to.alert.accept()
        except NoAlertPresentException:
            pass

        def promoted():
            deployment = self.api.get(f"{self.base}/deployments/{self.walk_deployment}")
            return deployment["version"] == self.other_version and not deployment.get("variants")
        wait_until(promoted, 15, f"the deployment to serve version {self.other_version} alone")
        self.settle("deployment", "the deployment page after promoting")

    def step_deployments(self):
        """The deployments page lists the seeded and the new deployment."""
        self.click_to("#nav-deployments", "deployments", "the deployments page from the navigation")
        text = self.text("body")
        for name in [self.state["deployment"]] + ([self.walk_deployment] if hasattr(self, "walk_deployment") else []):
            checks(name in text, f"the deployments page does not list {name}")

    def step_monitoring(self):
        """The monitoring overview: system health and the seeded deployment's alerts."""
        self.click_to("#nav-monitoring", "monitoring", "the monitoring page from the navigation")
        checks(self.text("#health") != "", "#health is empty")
        self.require("#alerts")
        firing = self.api.get(self.base + "/alerts", state="firing")
        if firing:
            checks(self.state["deployment"] in self.text("#alerts"),
                   f"#alerts does not name {self.state['deployment']}, which has {len(firing)} firing alerts")

    def step_monitoring_deployment(self):
        """A deployment's monitoring: four charts and the drift table with every feature."""
        self.open(f"/p/{self.p}/monitoring/{self.state['deployment']}", "monitoring-deployment")
        for chart in ["svg#latency-chart", "svg#rate-chart", "svg#errors-chart", "svg#batch-chart"]:
            self.require(chart)
            shapes = self.finds(f"{chart} rect, {chart} path, {chart} polyline, {chart} line, {chart} circle")
            checks(len(shapes) > 0, f"{chart} draws nothing")
        drift = self.text("table#drift")
        for feature in FEATURES:
            checks(feature in drift, f"table#drift does not list {feature}")

    # Timings ------------------------------------------------------------------------------------------------------

    def console_pages(self):
        s, p = self.state, self.p
        compare = getattr(self, "compare_jobs", f"{s['modelJobIDs'][0]},{s['modelJobIDs'][1]}")
        return [
            (None, "/login"),
            ("datasets", f"/p/{p}/datasets"),
            ("dataset", f"/p/{p}/datasets/{s['dataset']}"),
            ("training", f"/p/{p}/training"),
            ("job", f"/p/{p}/jobs/{s['modelJobIDs'][-1]}"),
            ("compare", f"/p/{p}/compare?jobs={compare}"),
            ("models", f"/p/{p}/models"),
            ("model", f"/p/{p}/models/{s['modelID']}"),
            ("model-version", f"/p/{p}/models/{s['modelID']}/versions/{s['evaluatedVersion']}"),
            ("deployments", f"/p/{p}/deployments"),
            ("deployment", f"/p/{p}/deployments/{s['deployment']}"),
            ("monitoring", f"/p/{p}/monitoring"),
            ("monitoring-deployment", f"/p/{p}/monitoring/{s['deployment']}"),
        ]

    def browser_load_ms(self, path, page):
        self.driver.get(self.url(path))
        self.wait_page(page)
        return wait_until(lambda: self.driver.execute_script(
            "var n = performance.getEntriesByType('navigation')[0]; return n && n.loadEventEnd > 0 ? n.loadEventEnd : 0;"),
            10, f"the load event of {path}")

    def server_ms(self, path):
        """Milliseconds from sending the request to the last byte of a 200 answer (with the session cookie, except
        for /login), the render time the server reports in Server-Timing (or None), and the size."""
        address = urllib.parse.urlparse(self.base_url)
        connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
        headers = {"Accept": "text/html"}
        if path != "/login":
            headers["Cookie"] = f"{SESSION_COOKIE}={self.session}"
        try:
            start = time.perf_counter()
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            body = response.read()
            elapsed = (time.perf_counter() - start) * 1000
        finally:
            connection.close()
        checks.equal(response.status, 200, f"status of GET {path}" + (" with the session cookie" if path != "/login" else ""))
        checks("text/html" in (response.getheader("Content-Type") or ""), f"GET {path} is not HTML")
        render = re.search(r"dur=([0-9.]+)", response.getheader("Server-Timing") or "")
        return elapsed, float(render.group(1)) if render else None, len(body)

    def step_timings(self):
        """Every console page loads in the browser (loadEventEnd) and is answered by the server in under 300 ms."""
        if not hasattr(self, "session"):
            cookie = self.driver.get_cookie(SESSION_COOKIE)
            checks(cookie is not None, "no session for the timings")
            self.session = cookie["value"]
        rows = []
        for page, path in self.console_pages():
            load = self.browser_load_ms(path, page)
            if load >= PAGE_BUDGET_MS:
                load = self.browser_load_ms(path, page)
            served, render, size = self.server_ms(path)
            if served >= PAGE_BUDGET_MS:
                served, render, size = self.server_ms(path)
            rows.append((path, load, served, render, size))
        width = max(len(r[0]) for r in rows)
        say(f"walk: {'page'.ljust(width)}  browser load   server  (render)    bytes")
        for path, load, served, render, size in rows:
            shown = f"{render:6.1f}" if render is not None else "     -"
            say(f"walk: {path.ljust(width)}  {load:9.0f} ms  {served:4.0f} ms  ({shown})  {size:7d}")
        for path, load, served, _, _ in rows:
            checks(load < PAGE_BUDGET_MS, f"{path} loaded in {load:.0f} ms in the browser (budget {PAGE_BUDGET_MS} ms)")
            checks(served < PAGE_BUDGET_MS, f"the server answered {path} in {served:.0f} ms (budget {PAGE_BUDGET_MS} ms)")
        self.timings = rows
