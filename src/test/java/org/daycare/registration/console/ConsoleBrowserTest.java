package org.daycare.registration.console;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.daycare.registration.support.ApprovalClient;
import org.daycare.registration.support.ConsoleBrowser;
import org.daycare.registration.support.Registrations;
import org.daycare.registration.support.RouteFileWithOneMoreState;
import org.daycare.registration.support.RunningApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.daycare.registration.support.ApprovalClient.json;

/**
 * The console at /console in Debian's headless Chromium, against the whole application in-process (director approval
 * for registrations with special instructions, the waitlist on, small capacity): a staff member's morning from
 * sign-in to sign-out, every view checked with axe-core and every drawn state checked by its element; a child named
 * like markup, shown as text with no script run; and the security headers of every answer of the console.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String OKAFOR_EMAIL = "ngozi.okafor@example.com";
    private static final String MARKUP_FIRST_NAME = "<img src=x onerror=alert(1)>";
    private static final String MARKUP_LAST_NAME = "<img src=x onerror=window.xssRan=1>";
    private static final String MARKUP_REASON = "<img src=x onerror=window.xssReason=1> is not a reason";

    @TempDir
    static Path tempDir;
    static RunningApplication app;
    static ApprovalClient http;
    static ConsoleBrowser browser;
    static ChromeDriver driver;

    // the morning's registrations, seeded before the staff member signs in
    static String amina;      // Okafor family, confirmed
    static String chidi;      // Okafor family, too old: FAILED InvalidAge
    static String sofia;      // awaits approval: will be approved
    static String noah;       // awaits approval: will be rejected
    static String markup;     // awaits approval: the child named like markup
    static String ida;        // awaits approval: cancelled by the family while the staff member looks
    static String emma;       // confirmed: will be cancelled
    static String mia;        // waitlisted for Friday
    static final List<String> SEEDED = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        // the browser first: without Chromium the test fails at once, saying what to install
        browser = ConsoleBrowser.start(Files.createDirectories(tempDir.resolve("chromium-profile")));
        driver = browser.driver();
        app = RunningApplication.start(Files.createDirectories(tempDir.resolve("app")), Map.of(
                "daycare.approval.required", "with-special-instructions",
                "daycare.waitlist.enabled", "true",
                "daycare.approval.deadline-check-ms", "100",
                "daycare.capacity.per-day", "3",
                "daycare.capacity.overrides", "Friday:1"));
        http = ApprovalClient.of(app);

        amina = submit(201, child("Amina", "Okafor", "2021-03-27", OKAFOR_EMAIL, "", "Monday"));
        chidi = submit(422, child("Chidi", "Okafor", "2016-07-01", OKAFOR_EMAIL, "", "Monday"));
        sofia = submit(202, child("Sofia", "Rossi", "2022-01-10", "anna.rossi@example.com", "Sofia needs her inhaler.",
                "Wednesday"));
        noah = submit(202, child("Noah", "Berg", "2021-09-02", "erik.berg@example.com", "Noah is lactose intolerant.",
                "Wednesday"));
        markup = submit(202, child(MARKUP_FIRST_NAME, MARKUP_LAST_NAME, "2021-05-05", "x.markup@example.com",
                "<script>window.xssInstructions=1</script>", "Tuesday"));
        ida = submit(202, child("Ida", "Lund", "2021-11-11", "karin.lund@example.com", "Ida takes a nap at noon.",
                "Wednesday"));
        emma = submit(201, child("Emma", "Weber", "2020-12-12", "lena.weber@example.com", "", "Thursday"));
        submit(201, child("Liam", "Novak", "2021-02-02", "ivana.novak@example.com", "", "Friday"));
        mia = submit(202, child("Mia", "Horvat", "2022-06-06", "ana.horvat@example.com", "", "Friday"));
        for (int i = 0; i < 4; i++) {
            submit(422, "{\"registration_info\": {\"child\": {\"firstName\": \"Incomplete " + i + "\"}}}");
        }
        assertThat(http.waitlisted()).containsExactly(mia);
        assertThat(http.awaitingApproval()).containsExactly(sofia, noah, markup, ida);
    }

    @AfterAll
    static void stop() {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            if (app != null) {
                app.close();
            }
        }
    }

    @BeforeEach
    void freshTab() {
        driver.get(app.uri("/console/").toString());
        driver.executeScript("sessionStorage.clear(); localStorage.clear();");
        driver.get(app.uri("/console/").toString());
    }

    @Test
    @Order(1)
    void everyAnswerOfTheConsoleCarriesTheSecurityHeaders() {
        for (String path : List.of("/console", "/console/", "/console/console.js", "/console/graph.js",
                "/console/console.css", "/console/dagre-3.1.3.min.js", "/console/favicon.svg", "/console/no-such-file.js",
                "/console/..%2Fapplication.properties")) {
            HttpResponse<String> answer = app.send(HttpRequest.newBuilder(app.uri(path)).GET());
            assertThat(answer.headers().firstValue("Content-Security-Policy")).as(path)
                    .hasValue(ConsoleRoutes.CONTENT_SECURITY_POLICY);
            assertThat(answer.headers().firstValue("X-Content-Type-Options")).as(path).hasValue("nosniff");
            assertThat(answer.headers().firstValue("Cache-Control")).as(path).hasValue("no-store");
            if (path.contains("no-such-file") || path.contains("..")) {
                // nothing outside the console's own files is served
                assertThat(answer.statusCode()).as(path).isEqualTo(404);
                assertThat(answer.body()).as(path).isEqualTo("Not found");
            }
        }
        String policy = ConsoleRoutes.CONTENT_SECURITY_POLICY;
        assertThat(policy).contains("script-src 'self';", "default-src 'none'").doesNotContain("unsafe");

        HttpResponse<String> bare = app.send(HttpRequest.newBuilder(app.uri("/console")).GET());
        assertThat(bare.statusCode()).isEqualTo(308);
        assertThat(bare.headers().firstValue("Location")).hasValue("console/");
        HttpResponse<String> page = app.send(HttpRequest.newBuilder(app.uri("/console/")).GET());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        // no inline script, no inline handler: the page's scripts are files of its own
        assertThat(page.body()).containsPattern("<script src=\"console.js\" defer></script>")
                .doesNotContainPattern("<script(?![^>]*\\ssrc=)").doesNotContainPattern("\\son[a-z]+=");
        assertThat(app.send(HttpRequest.newBuilder(app.uri("/console/no-such-file.js")).GET()).statusCode())
                .isEqualTo(404);
        HttpResponse<String> script = app.send(HttpRequest.newBuilder(app.uri("/console/console.js")).GET());
        assertThat(script.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
    }

    @Test
    @Order(2)
    void aStaffMembersMorning() {
        // 1. signs in
        WebElement signInTitle = visible("sign-in-title");
        assertThat(driver.getCurrentUrl()).isEqualTo(app.uri("/console/").toString());
        assertAccessible("sign-in");
        signIn(RunningApplication.ADMIN_TOKEN);
        waitUntil("the first page of executions", d -> rowIds("executions-rows").size() == SEEDED.size());
        assertAccessible("executions");
        browser.screenshot("01-executions");
        assertThat(rowIds("executions-rows")).as("newest first").startsWith(reversed(SEEDED).subList(0, 10)
                .toArray(String[]::new));

        // the token: in this tab's sessionStorage only; sent as a bearer header on every admin call, never in a URL
        assertThat(driver.executeScript("return sessionStorage.getItem('daycare.adminToken')"))
                .isEqualTo(RunningApplication.ADMIN_TOKEN);
        assertThat(driver.executeScript("return localStorage.length")).isEqualTo(0L);
        assertThat(driver.manage().getCookies()).isEmpty();
        // the keyboard moves on from the view's title to its first control, with a visible focus
        new Actions(driver).sendKeys(Keys.TAB).perform();
        assertThat(driver.switchTo().activeElement().getDomAttribute("id")).isEqualTo("filter-status");
        assertThat(driver.executeScript("return getComputedStyle(document.activeElement).outlineStyle")).isEqualTo("solid");

        // paging: 10 a page, the older ones on the next
        new Select(driver.findElement(By.id("filter-size"))).selectByValue("10");
        driver.findElement(By.id("filter-apply")).click();
        waitUntil("a page of 10 executions", d -> rowIds("executions-rows").size() == 10);
        assertThat(rowIds("executions-rows")).containsExactlyElementsOf(reversed(SEEDED).subList(0, 10));
        driver.findElement(By.id("page-older")).click();
        waitUntil("the older page", d -> rowIds("executions-rows").equals(reversed(SEEDED).subList(10, SEEDED.size())));
        assertThat(driver.findElement(By.id("page-older")).isEnabled()).isFalse();
        driver.findElement(By.id("page-newer")).click();
        waitUntil("the newer page again", d -> rowIds("executions-rows").equals(reversed(SEEDED).subList(0, 10)));

        // filter by status
        new Select(driver.findElement(By.id("filter-status"))).selectByValue("FAILED");
        driver.findElement(By.id("filter-apply")).click();
        waitUntil("the 5 FAILED executions only",
                d -> rowStatuses().values().stream().allMatch("FAILED"::equals) && rowStatuses().size() == 5);
        new Select(driver.findElement(By.id("filter-status"))).selectByValue("");

        // refreshed while open: a registration that arrives now appears without a click
        driver.findElement(By.id("filter-apply")).click();
        waitUntil("the unfiltered first page",
                d -> rowIds("executions-rows").size() == 10 && rowIds("executions-rows").get(0).equals(SEEDED.get(SEEDED.size() - 1)));
        String arrived = submit(201, child("Olivia", "Lindqvist", "2021-07-07", "sara.lindqvist@example.com", "", "Monday"));
        waitUntil("the new registration in the open list, without a click",
                d -> rowIds("executions-rows").contains(arrived));
        assertThat(rowIds("executions-rows").get(0)).isEqualTo(arrived);

        // 2. searches a family by e-mail (in any case)
        search(OKAFOR_EMAIL.toUpperCase(java.util.Locale.ROOT));
        waitUntil("the Okafor family's two executions",
                d -> Set.copyOf(rowIds("executions-rows")).equals(Set.of(amina, chidi)));

        // 3. opens a succeeded execution: the drawn path is exactly its states
        click(By.cssSelector("tr[data-execution-id='" + amina + "'] a"));
        awaitGraph(amina);
        assertAccessible("execution (succeeded)");
        Map<String, String> drawn = drawnStatuses();
        assertThat(passed(drawn)).containsExactlyInAnyOrder("Check Information", "Information Check Result",
                "Check Age Range", "Age Check Result", "Check Spots Availability", "Spot Availability Result",
                "Approval Required", "Confirm Registration", "Confirmation Result", "Succeeded");
        assertThat(drawn).as("every other state is drawn as not taken")
                .containsValues("none").doesNotContainValue("failed").doesNotContainValue("waiting")
                .doesNotContainValue("cancelled");
        assertThat(takenTransitions()).contains("Check Information -> Information Check Result",
                "Information Check Result -> Check Age Range", "Approval Required -> Confirm Registration",
                "Confirm Registration -> Confirmation Result", "Confirmation Result -> Succeeded");
        // a state chosen with the keyboard shows its statusCode and times
        WebElement ageCheck = stateElement("Check Age Range");
        driver.executeScript("arguments[0].focus()", ageCheck);
        new Actions(driver).sendKeys(Keys.ENTER).perform();
        waitUntil("the details of Check Age Range", d -> text("state-details-body").contains("Check Age Range"));
        assertThat(driver.findElements(By.cssSelector("#state-details-body td.status-code")))
                .extracting(WebElement::getText).contains("200");
        assertThat(driver.findElements(By.cssSelector("#state-details-body time"))).hasSize(2);
        assertThat(driver.findElements(By.cssSelector("#timeline li")))
                .hasSize(http.history(amina).size());
        assertThat(text("doc-input")).contains("\"Amina\"", OKAFOR_EMAIL);
        assertThat(text("doc-output")).contains("\"fees\"", "\"start_date\"");
        browser.screenshot("02-execution-succeeded");
        graphScreenshot("02-execution-succeeded-graph");

        // 4. opens a failed one: the red end, with its error
        driver.navigate().back();
        waitUntil("the Okafor family's two executions",
                d -> Set.copyOf(rowIds("executions-rows")).equals(Set.of(amina, chidi)));
        click(By.cssSelector("tr[data-execution-id='" + chidi + "'] a"));
        awaitGraph(chidi);
        assertAccessible("execution (failed)");
        drawn = drawnStatuses();
        assertThat(drawn).containsEntry("Notify Invalid Age", "failed");
        assertThat(drawn.values().stream().filter("failed"::equals)).hasSize(1);
        assertThat(passed(drawn)).containsExactlyInAnyOrder("Check Information", "Information Check Result",
                "Check Age Range", "Age Check Result");
        assertThat(stateElement("Notify Invalid Age").getText()).contains("InvalidAge");
        assertThat(text("state-details-body")).contains("Notify Invalid Age", "InvalidAge",
                "The child does not meet the age requirements.");
        assertThat(text("execution-error")).isEqualTo("InvalidAge");
        assertThat(takenTransitions()).contains("Age Check Result -> Notify Invalid Age");
        browser.screenshot("03-execution-failed");
        graphScreenshot("03-execution-failed-graph");

        // 5. approves a waiting registration and sees it succeed; while it waits, Await Approval is drawn waiting
        driver.get(app.uri("/console/#/executions/" + sofia).toString());
        awaitGraph(sofia);
        assertThat(drawnStatuses()).containsEntry("Await Approval", "waiting");
        assertThat(drawnStatuses().values().stream().filter("waiting"::equals)).hasSize(1);
        assertThat(text("state-details-body")).contains("Await Approval", "waiting here");
        driver.findElement(By.cssSelector("a[data-nav='approvals']")).click();
        waitUntil("the approval queue", d -> !rowIds("approvals-rows").isEmpty());
        assertThat(rowIds("approvals-rows")).as("oldest first").isEqualTo(http.awaitingApproval())
                .containsSubsequence(sofia, noah);
        assertAccessible("approvals");
        // the family cancels one behind the staff member's back: approving it then is explained
        assertThat(http.decide(ida, "cancel", null).statusCode()).isEqualTo(200);
        row("approvals-rows", ida).findElement(By.cssSelector("button.approve")).click();
        waitUntil("the message that it no longer awaits approval",
                d -> text("problem").contains("no longer awaits approval"));
        waitUntil("the cancelled one gone from the queue", d -> !rowIds("approvals-rows").contains(ida));
        // approved from the keyboard
        row("approvals-rows", sofia).findElement(By.cssSelector("button.approve")).sendKeys(Keys.ENTER);
        waitUntil("the approval's confirmation", d -> text("notice").contains("Approved Sofia Rossi"));
        assertThat(text("notice")).contains("SUCCEEDED");
        waitUntil("the approved one gone from the queue", d -> !rowIds("approvals-rows").contains(sofia));
        assertThat(http.execution(sofia).get("status").asText()).isEqualTo("SUCCEEDED");
        driver.get(app.uri("/console/#/executions/" + sofia).toString());
        awaitGraph(sofia);
        assertThat(text("execution-facts")).contains("SUCCEEDED");
        assertThat(passed(drawnStatuses())).containsExactlyInAnyOrder("Check Information", "Information Check Result",
                "Check Age Range", "Age Check Result", "Check Spots Availability", "Spot Availability Result",
                "Approval Required", "Await Approval", "Hold Result", "Approval Decision", "Confirm Registration",
                "Confirmation Result", "Succeeded");

        // 6. rejects one, a reason required
        driver.findElement(By.cssSelector("a[data-nav='approvals']")).click();
        waitUntil("Noah in the queue", d -> rowIds("approvals-rows").contains(noah));
        row("approvals-rows", noah).findElement(By.cssSelector("button.reject")).click();
        WebElement reason = row("approvals-rows", noah).findElement(By.tagName("textarea"));
        assertThat(driver.switchTo().activeElement()).isEqualTo(reason);
        assertAccessible("approvals (rejecting)");
        browser.screenshot("07-approvals-rejecting");
        row("approvals-rows", noah).findElement(By.cssSelector("button.confirm-reject")).click();
        waitUntil("the message that a reason is required", d -> text("problem").contains("A reason is required"));
        assertThat(http.execution(noah).get("status").asText()).isEqualTo("RUNNING");
        reason.sendKeys("The toddler group is full this term.");
        row("approvals-rows", noah).findElement(By.cssSelector("button.confirm-reject")).click();
        waitUntil("the rejection's confirmation", d -> text("notice").contains("Rejected Noah Berg"));
        JsonNode rejected = http.execution(noah);
        assertThat(rejected.get("status").asText()).isEqualTo("FAILED");
        assertThat(rejected.get("error").asText()).isEqualTo("ApprovalRejected");
        assertThat(rejected.get("cause").asText()).isEqualTo("The toddler group is full this term.");

        // 7. cancels a confirmed one
        driver.findElement(By.cssSelector("a[data-nav='executions']")).click();
        search("Weber");
        waitUntil("Emma Weber's execution, alone", d -> rowIds("executions-rows").equals(List.of(emma)));
        click(By.cssSelector("tr[data-execution-id='" + emma + "'] a"));
        awaitGraph(emma);
        driver.findElement(By.id("cancel-start")).click();
        assertThat(driver.switchTo().activeElement().getAttribute("id")).isEqualTo("cancel-no");
        driver.findElement(By.id("cancel-yes")).click();
        waitUntil("the cancellation, and the execution CANCELLED",
                d -> text("notice").contains("cancelled") && text("execution-facts").contains("CANCELLED"));
        waitUntil("Cancelled drawn cancelled", d -> "cancelled".equals(drawnStatuses().get("Cancelled")));
        assertThat(drawnStatuses()).containsEntry("Succeeded", "passed")
                .doesNotContainValue("failed").doesNotContainValue("waiting");
        assertThat(http.execution(emma).get("status").asText()).isEqualTo("CANCELLED");
        assertThat(driver.findElement(By.id("cancel-area")).isDisplayed()).isFalse();

        // 8. raises a day's capacity and sees a waitlisted registration confirmed
        driver.findElement(By.cssSelector("a[data-nav='waitlist']")).click();
        waitUntil("Mia alone on the waitlist", d -> rowIds("waitlist-rows").equals(List.of(mia)));
        assertThat(driver.findElement(By.cssSelector("#waitlist-rows td.position")).getText()).isEqualTo("1");
        assertAccessible("waitlist");
        browser.screenshot("08-waitlist");
        driver.findElement(By.cssSelector("a[data-nav='capacity']")).click();
        WebElement friday = waitUntil("Friday's total", d -> d.findElement(By.id("total-Friday")));
        assertAccessible("capacity");
        browser.screenshot("09-capacity");
        assertThat(friday.getAttribute("value")).isEqualTo("1");
        friday.clear();
        friday.sendKeys("2", Keys.ENTER);
        waitUntil("the new total's confirmation", d -> text("notice").contains("Friday: 2 spots in total"));
        assertThat(text("notice")).contains("1 registration was taken off the waitlist");
        driver.get(app.uri("/console/#/executions/" + mia).toString());
        waitUntil("the promoted registration SUCCEEDED", d -> text("execution-facts").contains("SUCCEEDED"));
        awaitGraph(mia);
        assertThat(passed(drawnStatuses())).containsExactlyInAnyOrder("Check Information", "Information Check Result",
                "Check Age Range", "Age Check Result", "Check Spots Availability", "Spot Availability Result",
                "Waitlisted", "Waitlist Join Result", "Waitlist Decision", "Approval Required", "Confirm Registration",
                "Confirmation Result", "Succeeded");
        assertThat(takenTransitions()).contains("Spot Availability Result -> Waitlisted",
                "Waitlist Decision -> Check Spots Availability", "Spot Availability Result -> Approval Required");
        browser.screenshot("04-execution-promoted");
        graphScreenshot("04-execution-promoted-graph");

        // 9. signs out: the token and the data shown are gone, and going back shows sign-in
        driver.findElement(By.id("sign-out")).click();
        visible("sign-in-title");
        assertThat(driver.executeScript("return sessionStorage.getItem('daycare.adminToken')")).isNull();
        assertThat(driver.findElements(By.cssSelector("#executions-rows tr, #approvals-rows tr, #timeline li"))).isEmpty();
        assertThat(driver.findElement(By.id("graph")).getText()).isEmpty();
        driver.navigate().back();
        visible("sign-in-title");
        assertThat(driver.findElement(By.id("view-executions")).isDisplayed()).isFalse();
        // a wrong token stays at sign-in, with a message
        signInWith("not-the-admin-token-at-all");
        waitUntil("the message that the token was not accepted",
                d -> text("problem").contains("This token was not accepted"));
        assertThat(driver.findElement(By.id("view-sign-in")).isDisplayed()).isTrue();
        assertThat(driver.findElement(By.id("nav")).isDisplayed()).isFalse();
        assertThat(driver.executeScript("return sessionStorage.getItem('daycare.adminToken')")).isNull();
        assertAccessible("sign-in (refused)");
        browser.screenshot("10-sign-in-refused");
        // the right token then: whatever the wrong one set off was sent before this, and is counted below
        signIn(RunningApplication.ADMIN_TOKEN);
        // back where the browser's Back button had gone (the capacity), which the sign-in then opened
        waitUntil("the capacity", d -> d.findElement(By.id("total-Friday")).isDisplayed());
        driver.findElement(By.id("sign-out")).click();
        visible("sign-in-title");

        // every admin call of the morning carried the token as a bearer header, and no URL ever held it
        List<ConsoleBrowser.SentRequest> sent = browser.requests();
        assertThat(sent).noneMatch(request -> request.url().contains(RunningApplication.ADMIN_TOKEN));
        String service = app.uri("/").toString();
        List<ConsoleBrowser.SentRequest> adminCalls = sent.stream()
                .filter(request -> request.url().startsWith(service) && !request.url().startsWith(service + "console"))
                .toList();
        assertThat(adminCalls).isNotEmpty().allMatch(request -> request.headers().containsKey("authorization"));
        assertThat(adminCalls).as("the wrong token was sent once, to check it, and never used")
                .filteredOn(request -> request.headers().get("authorization").equals("Bearer not-the-admin-token-at-all"))
                .hasSize(1);
        assertThat(adminCalls).filteredOn(request -> !request.headers().get("authorization")
                .equals("Bearer not-the-admin-token-at-all")).isNotEmpty()
                .allMatch(request -> request.headers().get("authorization").equals("Bearer " + RunningApplication.ADMIN_TOKEN));
        assertThat(browser.responses()).filteredOn(response -> response.url().startsWith(service + "console"))
                .isNotEmpty()
                .allMatch(response -> ConsoleRoutes.CONTENT_SECURITY_POLICY.equals(
                        response.headers().get("content-security-policy")));
    }

    @Test
    @Order(3)
    void aRefusedTokenMidSessionReturnsToSignIn() {
        signIn(RunningApplication.ADMIN_TOKEN);
        // the token was changed on the server (simulated: the tab now holds another one)
        driver.executeScript("sessionStorage.setItem('daycare.adminToken', 'a-token-the-service-no-longer-takes')");
        driver.findElement(By.cssSelector("a[data-nav='capacity']")).click();
        visible("sign-in-title");
        waitUntil("the message to sign in again", d -> text("problem").contains("Sign in again"));
        assertThat(driver.executeScript("return sessionStorage.getItem('daycare.adminToken')")).isNull();
        signIn(RunningApplication.ADMIN_TOKEN);
        assertThat(driver.getCurrentUrl()).endsWith("#/capacity");
    }

    @Test
    @Order(4)
    void aChildNamedLikeMarkupIsShownAsTextAndRunsNoScript() {
        signIn(RunningApplication.ADMIN_TOKEN);

        driver.findElement(By.cssSelector("a[data-nav='approvals']")).click();
        waitUntil("the child named like markup in the queue", d -> rowIds("approvals-rows").contains(markup));
        assertThat(row("approvals-rows", markup).findElement(By.cssSelector("td.child")).getText())
                .isEqualTo(MARKUP_FIRST_NAME + " " + MARKUP_LAST_NAME);
        assertThat(row("approvals-rows", markup).findElement(By.cssSelector("td.instructions")).getText())
                .isEqualTo("<script>window.xssInstructions=1</script>");
        assertNoScriptRan("approvals");

        // rejected with a reason that is markup too: the list shows it as the cause
        row("approvals-rows", markup).findElement(By.cssSelector("button.reject")).click();
        row("approvals-rows", markup).findElement(By.tagName("textarea")).sendKeys(MARKUP_REASON);
        row("approvals-rows", markup).findElement(By.cssSelector("button.confirm-reject")).click();
        waitUntil("the rejection's confirmation",
                d -> text("notice").contains("Rejected " + MARKUP_FIRST_NAME + " " + MARKUP_LAST_NAME));
        assertNoScriptRan("approvals, after the rejection");

        driver.findElement(By.cssSelector("a[data-nav='executions']")).click();
        search(MARKUP_LAST_NAME);
        waitUntil("the markup child's execution, alone", d -> rowIds("executions-rows").equals(List.of(markup)));
        assertThat(row("executions-rows", markup).findElement(By.cssSelector("td.cause")).getText())
                .isEqualTo("ApprovalRejected: " + MARKUP_REASON);
        assertThat(text("executions-summary")).contains(MARKUP_LAST_NAME);
        assertNoScriptRan("executions");

        click(By.cssSelector("tr[data-execution-id='" + markup + "'] a"));
        awaitGraph(markup);
        assertThat(text("execution-facts")).contains(MARKUP_FIRST_NAME + " " + MARKUP_LAST_NAME, MARKUP_REASON);
        assertThat(text("doc-input")).contains(MARKUP_FIRST_NAME, MARKUP_LAST_NAME);
        assertNoScriptRan("execution");
        browser.screenshot("05-markup-as-text");
    }

    @Test
    @Order(5)
    void aStateAddedToTheRouteFileIsDrawnWithoutAnyChangeToTheConsole() throws Exception {
        Map<String, String> withCheck = RouteFileWithOneMoreState.writeTo(tempDir.resolve("routes-with-one-more-state"));
        try (RunningApplication other = RunningApplication.start(
                Files.createDirectories(tempDir.resolve("app-with-one-more-state")), withCheck)) {
            HttpResponse<String> confirmed = other.postRegistration(Registrations.SUCCESS_CASE);
            assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(201);
            String executionId = json(confirmed).get("executionId").asText();

            driver.get(other.uri("/console/#/executions/" + executionId).toString());
            signIn(RunningApplication.ADMIN_TOKEN);
            awaitGraph(executionId);
            assertThat(passed(drawnStatuses())).containsExactlyInAnyOrder("Check Information", "Information Check Result",
                    "Check Age Range", "Age Check Result", RouteFileWithOneMoreState.TASK, RouteFileWithOneMoreState.ROUTER,
                    "Check Spots Availability", "Spot Availability Result", "Confirm Registration", "Confirmation Result",
                    "Succeeded");
            assertThat(takenTransitions()).contains("Age Check Result -> " + RouteFileWithOneMoreState.TASK,
                    RouteFileWithOneMoreState.TASK + " -> " + RouteFileWithOneMoreState.ROUTER,
                    RouteFileWithOneMoreState.ROUTER + " -> Check Spots Availability");
            assertAccessible("execution (one more state)");
            browser.screenshot("06-one-more-state");
        }
    }

    // ------------------------------------------------------------------ helpers

    /**
     * No script of the names ran: none of their flags is set, no alert is open, and the page holds no element made of
     * them (an img would be one rendered as markup, which the Content-Security-Policy alone would keep from running).
     */
    private void assertNoScriptRan(String view) {
        try {
            String alert = driver.switchTo().alert().getText();
            fail("an alert is open on the " + view + " view: " + alert);
        } catch (NoAlertPresentException expected) {
            // none: as it should be
        }
        assertThat(driver.executeScript("return [window.xssRan, window.xssReason, window.xssInstructions]"))
                .as("flags the names' scripts would set, on the " + view + " view")
                .isEqualTo(java.util.Arrays.asList(null, null, null));
        assertThat(driver.findElements(By.cssSelector("main img, main script"))).as("elements made of the names on the "
                + view + " view").isEmpty();
    }

    private static String submit(int expectedStatus, String registration) {
        HttpResponse<String> answer = http.register(registration);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(expectedStatus);
        String executionId = json(answer).get("executionId").asText();
        SEEDED.add(executionId);
        return executionId;
    }

    /** A registration of this child, for these days, with this mother's e-mail and no father. */
    private static String child(String firstName, String lastName, String dateOfBirth, String email,
            String specialInstructions, String... days) {
        return Registrations.successCaseForAnotherChild(info -> {
            ObjectNode child = (ObjectNode) info.get("child");
            child.put("firstName", firstName).put("lastName", lastName).put("dateOfBirth", dateOfBirth);
            ObjectNode parents = (ObjectNode) info.get("parents");
            parents.remove("father");
            ((ObjectNode) parents.get("mother")).put("email", email).put("lastName", lastName);
            var array = info.putArray("daysOfWeek");
            for (String day : days) {
                array.add(day);
            }
            info.put("specialInstructions", specialInstructions);
        });
    }

    private void signIn(String token) {
        signInWith(token);
        waitUntil("signed in", d -> !d.findElement(By.id("view-sign-in")).isDisplayed());
    }

    private void signInWith(String token) {
        WebElement input = visible("token");
        input.clear();
        input.sendKeys(token, Keys.ENTER);
    }

    private void search(String text) {
        WebElement search = visible("filter-search");
        search.clear();
        search.sendKeys(text, Keys.ENTER);
    }

    private void assertAccessible(String view) {
        assertThat(browser.seriousAccessibilityViolations()).as("serious or critical axe-core violations on the "
                + view + " view").isEmpty();
    }

    private void awaitGraph(String executionId) {
        waitUntil("the graph of " + executionId, d -> d.getCurrentUrl().endsWith("#/executions/" + executionId)
                && text("execution-title").contains(executionId)
                && !d.findElements(By.cssSelector("#graph [data-state]")).isEmpty());
    }

    /**
     * The legend and the whole graph, the window made tall enough for them (docs/console-execution.png is one of
     * these, committed by hand: a test does not write into the repository).
     */
    private void graphScreenshot(String name) {
        org.openqa.selenium.Dimension size = driver.manage().window().getSize();
        @SuppressWarnings("unchecked")
        List<Long> graph = (List<Long>) driver.executeScript("var box = document.querySelector('#graph svg')"
                + ".getBoundingClientRect(); return [Math.ceil(box.width), Math.ceil(box.height)];");
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(
                (int) Math.max(size.getWidth(), graph.get(0) + 120), (int) Math.max(size.getHeight(), graph.get(1) * 1.25 + 400)));
        WebElement panel = driver.findElement(By.id("graph-panel"));
        driver.executeScript("arguments[0].scrollIntoView()", panel);
        browser.screenshot(name, panel);
        driver.manage().window().setSize(size);
    }

    /** Clicks what the selector finds, found again if the page replaced it meanwhile (a refresh of the list). */
    private void click(By selector) {
        waitUntil("a click on " + selector, d -> {
            d.findElement(selector).click();
            return true;
        });
    }

    private WebElement stateElement(String name) {
        return driver.findElement(By.cssSelector("#graph [data-state='" + name + "']"));
    }

    /** Every drawn state, by its element: name to data-status. */
    private Map<String, String> drawnStatuses() {
        Map<String, String> statuses = new TreeMap<>();
        for (WebElement state : driver.findElements(By.cssSelector("#graph [data-state]"))) {
            statuses.put(state.getDomAttribute("data-state"), state.getDomAttribute("data-status"));
        }
        return statuses;
    }

    private static List<String> passed(Map<String, String> drawn) {
        return drawn.entrySet().stream().filter(entry -> entry.getValue().equals("passed")).map(Map.Entry::getKey).toList();
    }

    private List<String> takenTransitions() {
        List<String> taken = new ArrayList<>();
        for (WebElement edge : driver.findElements(By.cssSelector("#graph path[data-taken='true']"))) {
            taken.add(edge.getDomAttribute("data-from") + " -> " + edge.getDomAttribute("data-to"));
        }
        return taken;
    }

    private List<String> rowIds(String tbody) {
        List<String> ids = new ArrayList<>();
        for (WebElement row : driver.findElements(By.cssSelector("#" + tbody + " > tr[data-execution-id]"))) {
            ids.add(row.getDomAttribute("data-execution-id"));
        }
        return ids;
    }

    private Map<String, String> rowStatuses() {
        Map<String, String> statuses = new LinkedHashMap<>();
        for (WebElement row : driver.findElements(By.cssSelector("#executions-rows > tr"))) {
            statuses.put(row.getDomAttribute("data-execution-id"), row.getDomAttribute("data-status"));
        }
        return statuses;
    }

    private WebElement row(String tbody, String executionId) {
        return driver.findElement(By.cssSelector("#" + tbody + " > tr[data-execution-id='" + executionId + "']"));
    }

    private String text(String id) {
        return driver.findElement(By.id(id)).getText();
    }

    private WebElement visible(String id) {
        return waitUntil("#" + id + " shown", d -> {
            WebElement element = d.findElement(By.id(id));
            return element.isDisplayed() ? element : null;
        });
    }

    /** Waits for the condition (what it says, in the failure's message), finding elements again if replaced. */
    private <T> T waitUntil(String what, Function<org.openqa.selenium.WebDriver, T> condition) {
        return new WebDriverWait(driver, WAIT, Duration.ofMillis(100)).withMessage(what)
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(condition::apply);
    }

    private static List<String> reversed(List<String> ids) {
        List<String> copy = new ArrayList<>(ids);
        java.util.Collections.reverse(copy);
        return copy;
    }
}
