// The desk's rules driven by outside input (customer intakes, console
// commands, consoles coming and going, time passing): any input gives an
// answer or a clean failure, and the state stays consistent: waiting requests
// of a queue have distinct positions 1..n, assigned ones a technician whose
// load counts them and never exceeds their maximum (whichever path assigned
// it: accept, queue, SmartPin code, transfer, hand-over), a retried intake
// names an existing request, and every request survives its storage form.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <set>
#include <string>

#include "actors/intake/desk_model.hpp"
#include "gateways/console_input.hpp"

using namespace openassist::actors;
using namespace openassist::actors::desk;

namespace {

org_account seeded() {
  org_account a;
  a.id = "fuzz";
  a.teams[1] = team{1, "EU", 0, {}};
  a.teams[2] = team{2, "T2", 1, {}};
  for (uint64_t id = 10; id < 14; ++id) {
    org_user u;
    u.id = id;
    u.r = role::technician;
    u.email = "t" + std::to_string(id) + "@fuzz.example";
    u.first_name = "T";
    u.team_id = id % 2 == 0 ? 1 : 2;
    u.skills = {{"windows", static_cast<int>(id % 3) + 1}, {"network", 2}};
    if (id == 13)
      u.features.max_sessions = 1;
    a.users[id] = u;
  }
  const char* kinds[][2] = {{"web", "smartbox"},
                            {"web", "smartmatch"},
                            {"phone", "smartpin"},
                            {"queue", "queue"}};
  uint64_t pid = 20;
  for (auto& k : kinds) {
    portal p;
    p.id = pid;
    p.slug = "p" + std::to_string(pid);
    p.mode = k[0];
    p.type = k[1];
    p.skills_routing = p.mode == "queue";
    p.alert_timeout_s = 15;
    p.sub_portals.push_back({1, "All", {1}});
    p.fields.push_back(
      {"topic", "Topic", "skill", false, {"windows", "network"}});
    a.portals[pid++] = p;
  }
  return a;
}

void check(const model& m) {
  std::map<uint64_t, std::set<size_t>> positions;
  std::map<uint64_t, int> load;
  for (auto& [id, r] : m.open_requests()) {
    if (r.st == status::waiting) {
      auto pos = m.position(r);
      bool queue = m.portal_by_id(r.portal_id)->mode == "queue";
      if (!queue) {
        if (pos != 0) // places are shown in queue mode only
          std::abort();
      } else if (pos == 0 || !positions[r.portal_id].insert(pos).second) {
        std::abort();
      }
    } else if (r.technician_id == 0) {
      std::abort();
    } else {
      ++load[r.technician_id];
    }
    // Colleagues: at most seven with the invitations, never the technician,
    // each once, and only while the session runs.
    if (r.collaborators.size() + r.invites.size() > max_collaborators)
      std::abort();
    std::set<uint64_t> seen;
    for (auto& c : r.collaborators)
      if (c.technician_id == r.technician_id ||
          !seen.insert(c.technician_id).second)
        std::abort();
    if (r.st == status::waiting &&
        (!r.collaborators.empty() || !r.invites.empty()))
      std::abort();
    auto back = model::from_storage(model::to_storage(r));
    if (!back || model::to_storage(*back) != model::to_storage(r))
      std::abort();
  }
  for (auto& [portal, set] : positions)
    if (*set.rbegin() != set.size())
      std::abort();
  for (auto& [tech, n] : load)
    if (m.me_view(tech)["active_sessions"].get<int>() != n ||
        n > m.max_sessions(tech))
      std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 3)
    return 0;
  static model m;
  static int64_t now = 1'000'000'000;
  static bool init = false;
  if (!init || m.open_requests().size() > 300) {
    m = model{};
    m.set_org(seeded(), 1);
    init = true;
  }
  uint64_t tech = 10 + data[1] % 4;
  std::string text(reinterpret_cast<const char*>(data + 2), size - 2);
  auto doc = json::parse(text, nullptr, false);
  effects fx;
  switch (data[0] % 6) {
    case 0: { // a customer's intake
      if (!doc.is_object())
        break;
      intake in;
      if (auto f = doc.find("fields"); f != doc.end() && f->is_object())
        in.fields = *f;
      if (auto t = doc.find("technician_id");
          t != doc.end() && t->is_number_unsigned())
        in.technician_id = t->get<uint64_t>();
      if (auto c = doc.find("code"); c != doc.end() && c->is_string())
        in.code = c->get<std::string>();
      // "*": a live code of the technician (SmartPin), as read out on a call.
      if (in.code == "*") {
        auto codes = m.codes_view(tech);
        in.code = codes.empty() ? "" : codes[0]["code"].get<std::string>();
      }
      in.source.ip = "10.0.0." + std::to_string(data[1]);
      auto* p = m.portal_by_id(20 + data[1] % 4);
      if (auto k = doc.find("key"); k != doc.end() && k->is_string()) {
        in.idempotency_key = k->get<std::string>();
        in.fingerprint = in.fields.size();
        in.token = "t";
        if (auto prior =
              m.replay_intake(*p, in.idempotency_key, in.fingerprint, now)) {
          if (auto* again = std::get_if<intake_replay>(&*prior);
              again != nullptr && m.find(again->request_id) == nullptr)
            std::abort();
          break;
        }
      }
      auto key = in.idempotency_key;
      auto res = m.create(*p, std::move(in), now, fx);
      if (std::holds_alternative<uint64_t>(res) && data[1] % 2 == 0)
        m.intake_stored(p->id, key);
      break;
    }
    case 1: // a console command
      // As the gateway reads it; what it refuses never reaches the desk.
      if (auto read = openassist::gateways::read_console(doc))
        (void)m.command(tech, *read, now, fx);
      break;
    case 2:
      m.console_connected(tech, now, fx);
      break;
    case 3:
      m.console_disconnected(tech, now, fx);
      break;
    case 4:
      now += static_cast<int64_t>(data[1]) * 1000;
      m.tick(now, fx);
      break;
    case 5: { // a restart: the storage form back into a fresh model
      model copy;
      copy.set_org(seeded(), 1);
      if (!copy.restore(m.snapshot(), now))
        std::abort();
      for (auto& [id, r] : m.open_requests())
        copy.restore_request(*model::from_storage(model::to_storage(r)), now);
      for (auto id : copy.requests_to_load())
        if (auto* r = m.find(id))
          copy.restore_request(*model::from_storage(model::to_storage(*r)),
                               now);
      m = std::move(copy);
      break;
    }
  }
  (void)m.console_state(tech, now);
  check(m);
  return 0;
}
