// The support app's messages and the technician's remote control
// (docs/remote-control.md): checked here, decided by the session.

#include <caf/all.hpp>

#include "actors/session/session.hpp"
#include "gateways/connection_internal.hpp"
#include "gateways/control_events.hpp"

namespace openassist::gateways::connection_detail {

namespace {

constexpr size_t max_report_bytes = actors::max_diagnostics_bytes;

// Runs `ask(session, member)` for the session of the message's request and
// answers the client with `ok(answer)` or the refusal.
template <class Answer, class Ask, class Ok>
void ask_session(self_ptr self, const json& msg, const json& id, Ask ask,
                 Ok ok) {
  auto& st = self->state;
  auto request = request_of(st, msg);
  if (!digits(request))
    return send_error(st, "bad_field", "request_id: the request's id", id);
  with_member(
    self, request, false, 0, id,
    [self, request, id, ask, ok](const session_link& s) {
      self->request(s.actor, desk_timeout, ask(s.member))
        .then(
          [self, request, id, ok](const Answer& a) {
            auto event = ok(request, a);
            if (!event.is_null())
              answer(self->state, std::move(event), id);
          },
          [self, id](caf::error& err) { refusal(self->state, err, id); });
    });
}

json done(const std::string& type, const std::string& request) {
  return {{"type", type}, {"request_id", request}};
}

} // namespace

void control_message(self_ptr self, const std::string& kind, const json& msg,
                     const json& id) {
  auto action = kind.substr(8);
  ask_session<actors::control_ack>(
    self, msg, id,
    [action](const std::string& member) {
      return caf::make_message(actors::session_control_atom::value, member,
                               action);
    },
    [](const std::string& request, const actors::control_ack& ack) {
      return json{{"type", "ack"},
                  {"request_id", request},
                  {"action", ack.action},
                  {"controlling", ack.controlling}};
    });
}

void input_message(self_ptr self, const json& msg, const json& id) {
  auto& st = self->state;
  if (st.role != connection_role::console)
    return send_error(st, "bad_state",
                      "only a technician's console sends "
                      "input",
                      id);
  std::string problem;
  auto i = msg.find("events");
  auto events =
    i == msg.end() ? std::nullopt : check_control_events(*i, problem);
  if (!events)
    return send_error(st, "bad_field",
                      problem.empty() ? "events: is required" : problem, id);
  // Input is answered only when it is refused (it comes many times a
  // second; an `id` asks for an ack).
  bool want_ack = !id.is_null();
  ask_session<uint64_t>(
    self, msg, id,
    [events = *events](const std::string& member) {
      return caf::make_message(actors::session_input_atom::value, member,
                               events);
    },
    [want_ack](const std::string& request, uint64_t) {
      return want_ack ? done("ack", request) : json{};
    });
}

void diagnostics_message(self_ptr self, const std::string& kind,
                         const json& msg, const json& id) {
  auto& st = self->state;
  if (kind == "diagnostics.request")
    return ask_session<bool>(
      self, msg, id,
      [](const std::string& member) {
        return caf::make_message(actors::session_diag_atom::value, member);
      },
      [](const std::string& request, bool) { return done("ack", request); });
  auto data = msg.find("data");
  if (data == msg.end() || !data->is_object())
    return send_error(st, "bad_field",
                      "data: the computer's details, an "
                      "object",
                      id);
  auto report = data->dump();
  if (report.size() > max_report_bytes)
    return send_error(st, "limited", "data: at most 48 KiB", id);
  ask_session<bool>(
    self, msg, id,
    [report](const std::string& member) {
      return caf::make_message(actors::session_diag_atom::value, member,
                               report);
    },
    [](const std::string& request, bool) { return done("ack", request); });
}

} // namespace openassist::gateways::connection_detail
