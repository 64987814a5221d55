"""Driving Horizon in a headless Chromium (selenium), as a user clicks.

Horizon reports a failed action as an ``.alert`` starting with "Error:",
and its own crash as a page saying "Something went wrong!"; a launch that
fails shows neither, so the tests wait for what must appear (a row, a
status) rather than only look for errors.  Every failure leaves a
screenshot and the page's alerts in the assertion message.
"""

import os
import time

from selenium import webdriver
from selenium.common import exceptions as selenium_exceptions
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM = os.environ.get('NOVA_TEST_CHROMIUM', '/usr/bin/chromium')
CHROMEDRIVER = os.environ.get('NOVA_TEST_CHROMEDRIVER',
                              '/usr/bin/chromedriver')
STATUS_TIMEOUT = 120


class Failed(AssertionError):
    pass



def displayed(elements):
    """The elements still on the page and shown: one the page replaced
    while we looked (stale) is as good as gone."""
    shown = []
    for element in elements:
        try:
            if element.is_displayed():
                shown.append(element)
        except selenium_exceptions.StaleElementReferenceException:
            pass
    return shown

class Dashboard:

    def __init__(self, base_url, shots_dir, name='horizon'):
        self.base = base_url
        self.shots_dir = shots_dir
        self.name = name
        self.shots = 0
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for arg in ('--headless=new', '--no-sandbox',
                    '--disable-dev-shm-usage', '--disable-gpu',
                    '--window-size=1280,1000', '--disable-extensions',
                    '--no-first-run'):
            options.add_argument(arg)
        self.driver = webdriver.Chrome(service=Service(CHROMEDRIVER),
                                       options=options)
        # The first page after Horizon starts imports every panel.
        self.driver.set_page_load_timeout(300)
        self.driver.set_script_timeout(60)

    def quit(self):
        self.driver.quit()

    # -- what went wrong -------------------------------------------------

    def alerts(self):
        texts = []
        for alert in displayed(
                self.driver.find_elements(By.CSS_SELECTOR, '.alert')):
            try:
                if alert.text.strip():
                    texts.append(' '.join(alert.text.split()))
            except selenium_exceptions.StaleElementReferenceException:
                pass
        return texts

    def errors(self):
        """The error toasts on the page, and Horizon's 500 page."""
        found = [a for a in self.alerts() if a.startswith('Error')]
        body = self.driver.find_element(By.TAG_NAME, 'body').text
        if 'Something went wrong' in body:
            found.append('Horizon: Something went wrong! (a 500)')
        return found

    def error_toasts(self, timeout=30):
        """The error toasts shown, each with its collapsed Details (the
        API's message Horizon appends), once there is one."""
        def found(driver):
            return [' '.join((e.get_attribute('textContent') or '').split())
                    for e in displayed(driver.find_elements(
                        By.CSS_SELECTOR, '.alert-danger'))]
        try:
            return WebDriverWait(self.driver, timeout).until(found)
        except selenium_exceptions.TimeoutException:
            self.fail('no error message after %ss' % timeout)

    def fail(self, what):
        self.shots += 1
        path = os.path.join(self.shots_dir,
                            '%s-%02d.png' % (self.name, self.shots))
        self.driver.save_screenshot(path)
        raise Failed('%s\n  page: %s\n  alerts: %s\n  screenshot: %s' % (
            what, self.driver.current_url, self.alerts(), path))

    def check_no_errors(self, what):
        errors = self.errors()
        if errors:
            self.fail('%s: %s' % (what, errors))

    # -- finding things --------------------------------------------------

    def visible(self, xpath, timeout=30, what=None):
        def find(driver):
            shown = displayed(driver.find_elements(By.XPATH, xpath))
            return shown[0] if shown else False
        try:
            return WebDriverWait(self.driver, timeout).until(find)
        except selenium_exceptions.TimeoutException:
            self.fail('not shown after %ss: %s' % (timeout, what or xpath))

    def click(self, element):
        self.driver.execute_script(
            'arguments[0].scrollIntoView({block: "center"});', element)
        try:
            element.click()
        except selenium_exceptions.ElementClickInterceptedException:
            self.driver.execute_script('arguments[0].click();', element)

    def get(self, path):
        self.driver.get(self.base + path.lstrip('/'))

    # -- pages -----------------------------------------------------------

    def login(self, user, password):
        self.driver.delete_all_cookies()
        self.get('auth/login/')
        self.visible('//input[@id="id_username"]').send_keys(user)
        self.driver.find_element(By.ID, 'id_password').send_keys(password)
        self.click(self.driver.find_element(
            By.CSS_SELECTOR, 'button[type=submit]'))
        try:
            WebDriverWait(self.driver, 120).until(
                lambda d: '/auth/login' not in d.current_url)
        except selenium_exceptions.TimeoutException:
            self.fail('log-in as %s did not get past the log-in page' % user)
        self.check_no_errors('log-in as %s' % user)

    def open_page(self, path, title):
        """path's page, whose title starts with title, without errors."""
        self.get(path)
        try:
            WebDriverWait(self.driver, 60).until(
                lambda d: d.title.startswith(title))
        except selenium_exceptions.TimeoutException:
            self.fail('%s: the page is titled %r, not %r'
                      % (path, self.driver.title, title))
        self.check_no_errors(path)

    # -- the launch wizard -----------------------------------------------

    def _wizard_step(self, name):
        self.click(self.visible(
            '//div[contains(@class,"modal")]//li//a[normalize-space()="%s" '
            'or .//span[normalize-space()="%s"]]' % (name, name),
            what='the wizard step %s' % name))

    def _allocate(self, label):
        self.click(self.visible(
            '//tr[.//td[contains(normalize-space(.), "%s")]]'
            '//button[contains(@class,"fa-arrow-up")]' % label,
            what='%s among the available items' % label))

    def launch(self, name, image, flavor, network):
        self.open_page('project/instances/', 'Instances')
        self.click(self.visible('//*[@id="instances__action_launch-ng"]'))
        self.visible('//input[@id="name"]').send_keys(name)
        self._wizard_step('Source')
        self._allocate(image)
        self._wizard_step('Flavor')
        self._allocate(flavor)
        self._wizard_step('Networks')
        allocated = ('//div[contains(@class,"modal")]//tr[.//td['
                     'normalize-space()="%s"]]//button[contains(@class,'
                     '"fa-arrow-down")]' % network)
        if not displayed(self.driver.find_elements(By.XPATH, allocated)):
            self._allocate(network)
        # Enabled once every required step has what it needs.
        self.click(self.visible(
            '//button[contains(@class,"finish")][not(@disabled)]',
            what='an enabled Launch Instance button'))
        self.visible('//tr[.//a[normalize-space()="%s"]]' % name,
                     timeout=90, what='the launched instance %s' % name)
        self.check_no_errors('Launch Instance')

    # -- the instance table ----------------------------------------------

    def _row(self, name):
        return self.visible('//tr[starts-with(@id, "instances__row__")]'
                            '[.//td/a[normalize-space()="%s"]]' % name,
                            what='the row of %s' % name)

    def row_id(self, name):
        return self._row(name).get_attribute('id').split('__row__', 1)[1]

    def status(self, name):
        row = self._row(name)
        # The column headed Status (the admin's table has project and
        # host columns before it).
        headers = [' '.join(th.text.split()) for th in
                   self.driver.find_elements(
                       By.XPATH, '//table[@id="instances"]/thead/tr[last()]'
                       '/th')]
        if 'Status' not in headers:
            self.fail('no Status column among %s' % headers)
        cells = row.find_elements(By.XPATH, './td')
        cell = cells[headers.index('Status')]
        return ' '.join(cell.text.split()), row.text

    def wait_status(self, name, status, timeout=STATUS_TIMEOUT):
        deadline = time.time() + timeout
        seen = None
        while time.time() < deadline:
            try:
                seen, _ = self.status(name)
            except selenium_exceptions.StaleElementReferenceException:
                continue
            if seen == status:
                return
            errors = self.errors()
            if errors:
                self.fail('waiting for %s to be %s (now %s): %s'
                          % (name, status, seen, errors))
            time.sleep(2)
        self.fail('%s is %r after %ss, not %r' % (name, seen, timeout,
                                                  status))

    def table_row_action(self, table, row_id, action):
        """Press a row's action in any Horizon table (its element id is
        <table>__row_<row id>__action_<action>), from the row's dropdown
        when it is not the row's first button."""
        xpath = '//*[@id="%s__row_%s__action_%s"]' % (table, row_id, action)
        found = self.driver.find_elements(By.XPATH, xpath)
        if not found:
            self.fail('no %s action in the %s row %s' % (action, table,
                                                          row_id))
        if not displayed(found[:1]):
            self.click(self.visible(
                '//tr[@id="%s__row__%s"]//*[contains(@class,'
                '"dropdown-toggle")]' % (table, row_id),
                what='the row\'s menu'))
        element = self.visible(xpath, what='the %s action' % action)
        # Horizon asks to confirm the dangerous ones (btn-danger) only.
        self.danger = 'btn-danger' in (element.get_attribute('class') or '')
        self.click(element)

    def row_action(self, name, action, page='project/instances/'):
        """Press the row's action (Horizon's action name, e.g. 'stop'),
        from the dropdown when it is not the row's first button."""
        self.open_page(page, 'Instances')
        self.table_row_action('instances', self.row_id(name), action)

    MODAL = '//div[contains(@class,"modal") and contains(@class,"in")]'

    def workflow_tab(self, label):
        self.click(self.visible('%s//a[normalize-space()="%s"]'
                                % (self.MODAL, label),
                                what='the dialog\'s tab %s' % label))

    def add_member(self, name):
        """A membership step's "+" for name (a flavor's projects, an
        aggregate's hosts)."""
        self.click(self.visible(
            '%s//ul[contains(@class,"available_members")]/ul[li/span['
            'normalize-space()="%s"]]//a[contains(@class,"btn-primary")]'
            % (self.MODAL, name),
            what='%s among the available members' % name))

    def fill(self, fields):
        self.visible(self.MODAL, what='a dialog')
        self._fill(self.MODAL, fields)

    def modal_submit(self, fields=None, timeout=30):
        """Fill the open modal's fields ({id: value}; a select by its
        visible text) and press its primary button."""
        modal = self.MODAL
        self.visible(modal, timeout=timeout, what='a dialog')
        self._fill(modal, fields or {})
        self._submit(modal)

    def _fill(self, modal, fields):
        for field, value in fields.items():
            xpath = '%s//*[@id="%s"]' % (modal, field)
            try:  # themed selects hide the real one behind a dropdown
                element = WebDriverWait(self.driver, 30).until(
                    lambda d: d.find_element(By.XPATH, xpath))
            except selenium_exceptions.TimeoutException:
                self.fail('no field %s in the dialog' % field)
            if element.tag_name == 'select':
                self._select(element, value)
            else:
                element.clear()
                element.send_keys(value)

    def _submit(self, modal):
        self.click(self.visible(
            '%s//*[contains(@class,"modal-footer")]//*[contains(@class,'
            '"btn-primary") or contains(@class,"btn-danger")]'
            '[not(@disabled)]' % modal, what='the dialog\'s button'))
        # The dialog closes (a form error would keep it open).
        try:
            WebDriverWait(self.driver, 60).until(
                lambda d: not displayed(d.find_elements(By.XPATH, modal)))
        except selenium_exceptions.TimeoutException:
            self.fail('the dialog stayed open')

    def _select(self, element, text):
        """The option shown as text, or as text and more (Horizon adds
        sizes: "cirros-test (1.0 MB)")."""
        options = element.find_elements(By.TAG_NAME, 'option')
        texts = [' '.join((o.get_attribute('textContent') or '').split())
                 for o in options]
        for option, shown in zip(options, texts):
            if shown == text or shown.startswith(text + ' '):
                # Through the page's own change handlers, as a pick in
                # the themed dropdown would.
                self.driver.execute_script(
                    'arguments[0].value = arguments[1];'
                    'arguments[0].dispatchEvent('
                    'new Event("change", {bubbles: true}));',
                    element, option.get_attribute('value'))
                return
        self.fail('no option %r among %s' % (text, texts))

    def confirm_if_asked(self):
        """Dangerous actions ask first; the others do not (and are not
        waited for)."""
        if not getattr(self, 'danger', True):
            return
        modal = ('//div[contains(@class,"modal") and contains(@class,"in")]'
                 '//*[contains(@class,"modal-footer")]//*[contains(@class,'
                 '"btn-primary") or contains(@class,"btn-danger")]')
        deadline = time.time() + 10
        while time.time() < deadline:
            buttons = displayed(self.driver.find_elements(By.XPATH, modal))
            if buttons:
                self.click(buttons[0])
                return
            time.sleep(0.3)
