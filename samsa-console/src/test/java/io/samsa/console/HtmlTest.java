package io.samsa.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HtmlTest {
    @Test
    void escapesEverythingThatCouldOpenATagOrLeaveAnAttribute() {
        assertThat(Html.esc("<script>alert('x')</script> & \"q\""))
                .isEqualTo("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
        assertThat(Html.esc(null)).isEmpty();
        assertThat(Html.esc("plain")).isEqualTo("plain");
    }

    @Test
    void pageEscapesTitleAndNotice() {
        String page = Html.page("<b>t</b>", "/", Html.Notice.error("<i>e</i>"), "<p>body</p>");
        assertThat(page).contains("<h1>&lt;b&gt;t&lt;/b&gt;</h1>").contains("&lt;i&gt;e&lt;/i&gt;")
                .contains("<p>body</p>").contains("aria-current=\"page\"").doesNotContain("http://").doesNotContain("https://");
    }

    @Test
    void urlEncodingKeepsSlashesAndPlusInsideOneSegment() {
        Request r = Request.of("GET", "/groups/" + Html.url("a/b+c d"), null, null);
        assertThat(r.segments()).containsExactly("groups", "a/b+c d");
    }

    @Test
    void formBodyWinsOverQuery() {
        Request r = Request.of("POST", "/topics", "name=q", "name=from+body&csrf=t");
        assertThat(r.params()).isEqualTo(Map.of("name", "from body", "csrf", "t"));
        assertThat(r.segments()).isEqualTo(List.of("topics"));
    }
}
