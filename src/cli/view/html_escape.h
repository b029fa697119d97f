#pragma once
// Text into HTML (and XHTML/SVG) markup: the one escape every piece of text on drover's pages
// goes through. Hostnames, operator names, failure reasons and image references come from users
// and agents, and a journal is a file anyone with access to the state directory could edit, so
// nothing is pasted into markup unescaped.
#include <string>
#include <string_view>

namespace drover::cli {

/// `text` safe as an element's content and as a quoted attribute value: & < > " ' become
/// &amp; &lt; &gt; &quot; &#39;, and control characters other than tab, newline and carriage
/// return (which XML does not allow even escaped) become U+FFFD. Other bytes pass unchanged;
/// callers that may hold invalid UTF-8 pass it through core::printable first.
std::string html_escape(std::string_view text);

}  // namespace drover::cli
