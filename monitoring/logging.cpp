#include "monitoring/logging.hpp"

#include <mutex>

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace openassist::monitoring {

namespace {

// %j: the message, escaped as the contents of a JSON string.
class json_message_flag : public spdlog::custom_flag_formatter {
public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    static constexpr char hex[] = "0123456789abcdef";
    for (char c : std::string_view(msg.payload.data(), msg.payload.size())) {
      switch (c) {
        case '"':
          dest.append(std::string_view("\\\""));
          break;
        case '\\':
          dest.append(std::string_view("\\\\"));
          break;
        case '\n':
          dest.append(std::string_view("\\n"));
          break;
        case '\r':
          dest.append(std::string_view("\\r"));
          break;
        case '\t':
          dest.append(std::string_view("\\t"));
          break;
        default:
          if (static_cast<unsigned char>(c) < 0x20) {
            char esc[] = {'\\',        'u', '0', '0', hex[(c >> 4) & 0xf],
                          hex[c & 0xf]};
            dest.append(std::string_view(esc, sizeof esc));
          } else {
            dest.push_back(c);
          }
      }
    }
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<json_message_flag>();
  }
};

struct logging_setup {
  std::mutex mtx;
  spdlog::sink_ptr sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  spdlog::level::level_enum level = spdlog::level::info;
};

logging_setup& setup() {
  static logging_setup instance;
  return instance;
}

} // namespace

std::string setup_logging(const std::string& level, const std::string& format) {
  auto lvl = spdlog::level::from_str(level);
  if (lvl == spdlog::level::off && level != "off")
    return "node.log-level: '" + level +
           "' is not one of trace, debug, info, warn, error, critical, off";
  std::unique_ptr<spdlog::formatter> formatter;
  if (format == "plain") {
    formatter = std::make_unique<spdlog::pattern_formatter>(
      "%Y-%m-%dT%H:%M:%S.%e %^%-5l%$ [%n] %v");
  } else if (format == "json") {
    auto f = std::make_unique<spdlog::pattern_formatter>(
      spdlog::pattern_time_type::utc);
    f->add_flag<json_message_flag>('j').set_pattern(
      R"({"time":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%l","logger":"%n","msg":"%j"})");
    formatter = std::move(f);
  } else {
    return "node.log-format: '" + format + "' is not one of plain, json";
  }
  auto& s = setup();
  std::lock_guard<std::mutex> guard{s.mtx};
  s.sink->set_formatter(std::move(formatter));
  s.level = lvl;
  spdlog::apply_all(
    [lvl](std::shared_ptr<spdlog::logger> l) { l->set_level(lvl); });
  return {};
}

std::shared_ptr<spdlog::logger> component_logger(const std::string& name) {
  auto& s = setup();
  std::lock_guard<std::mutex> guard{s.mtx};
  if (auto existing = spdlog::get(name))
    return existing;
  auto logger = std::make_shared<spdlog::logger>(name, s.sink);
  logger->set_level(s.level);
  spdlog::register_logger(logger);
  return logger;
}

} // namespace openassist::monitoring
