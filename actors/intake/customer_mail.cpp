#include "actors/intake/customer_mail.hpp"

namespace openassist::actors {

namespace {

// Percent-encodes all but the unreserved characters (RFC 3986).
std::string encoded(const std::string& s) {
  static const char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
        (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
        c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    }
  }
  return out;
}

// The first e-mail field the customer filled in.
std::string address_of(const portal& p, const nlohmann::json& fields) {
  if (!fields.is_object())
    return {};
  for (auto& f : p.fields) {
    if (f.type != "email")
      continue;
    auto i = fields.find(f.key);
    if (i != fields.end() && i->is_string() && !i->get<std::string>().empty())
      return i->get<std::string>();
  }
  return {};
}

std::string text(const nlohmann::json& fields, const char* key) {
  auto i = fields.find(key);
  return i != fields.end() && i->is_string() ? i->get<std::string>() : "";
}

} // namespace

std::string resume_link(const std::string& public_url,
                        const std::string& account, const std::string& slug,
                        uint64_t request_id, const std::string& token) {
  auto base = public_url;
  while (!base.empty() && base.back() == '/')
    base.pop_back();
  return base + "/p/" + encoded(account) + "/" + encoded(slug) +
         "#request=" + std::to_string(request_id) + "&token=" + encoded(token);
}

std::optional<desk::mail>
confirmation_mail(const std::string& public_url, const std::string& account,
                  const portal& p, uint64_t request_id,
                  const nlohmann::json& customer_fields,
                  const std::string& token, const std::string& lang) {
  auto to = address_of(p, customer_fields);
  if (to.empty() || public_url.empty() || token.empty())
    return std::nullopt;
  auto link = resume_link(public_url, account, p.slug, request_id, token);
  auto where = p.title.empty() ? p.name : p.title;
  auto name = customer_fields.is_object() ? text(customer_fields, "name") : "";
  auto number = std::to_string(request_id);
  desk::mail m;
  m.to = to;
  if (lang == "de") {
    m.subject = "Ihre Support-Anfrage #" + number;
    m.body =
      (name.empty() ? std::string{"Guten Tag,"} : "Guten Tag " + name + ",") +
      "\n\nwir haben Ihre Anfrage #" + number + " (" + where +
      ") erhalten.\n\n"
      "Haben Sie die Seite geschlossen? Mit diesem Link kommen Sie "
      "zurück zu Ihrer Anfrage:\n" +
      link +
      "\n\nDer Link ist nur für Sie: Wer ihn hat, kann Ihre Anfrage "
      "und den Chat sehen. Geben Sie ihn nicht weiter.\n";
  } else {
    m.subject = "Your support request #" + number;
    m.body = (name.empty() ? std::string{"Hello,"} : "Hello " + name + ",") +
             "\n\nwe have received your request #" + number + " (" + where +
             ").\n\n"
             "Closed the page? This link takes you back to your request:\n" +
             link +
             "\n\nThe link is for you alone: whoever has it can see your "
             "request and its chat. Please do not pass it on.\n";
  }
  return m;
}

} // namespace openassist::actors
