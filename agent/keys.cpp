#include "agent/keys.hpp"

#include <map>

#include <X11/keysym.h>

namespace openassist::agent {

unsigned long keysym_of(const std::string& code) {
  if (code.size() == 4 && code.rfind("Key", 0) == 0 && code[3] >= 'A' &&
      code[3] <= 'Z')
    return XK_a + static_cast<unsigned long>(code[3] - 'A');
  if (code.size() == 6 && code.rfind("Digit", 0) == 0 && code[5] >= '0' &&
      code[5] <= '9')
    return XK_0 + static_cast<unsigned long>(code[5] - '0');
  if (code.size() >= 2 && code[0] == 'F' &&
      code.find_first_not_of("0123456789", 1) == std::string::npos &&
      code.size() <= 3) {
    int n = std::stoi(code.substr(1));
    if (n >= 1 && n <= 12)
      return XK_F1 + static_cast<unsigned long>(n - 1);
  }
  static const std::map<std::string, unsigned long> named = {
    {"Enter", XK_Return},
    {"NumpadEnter", XK_KP_Enter},
    {"Backspace", XK_BackSpace},
    {"Tab", XK_Tab},
    {"Escape", XK_Escape},
    {"Space", XK_space},
    {"ArrowLeft", XK_Left},
    {"ArrowRight", XK_Right},
    {"ArrowUp", XK_Up},
    {"ArrowDown", XK_Down},
    {"ShiftLeft", XK_Shift_L},
    {"ShiftRight", XK_Shift_R},
    {"ControlLeft", XK_Control_L},
    {"ControlRight", XK_Control_R},
    {"AltLeft", XK_Alt_L},
    {"AltRight", XK_Alt_R},
    {"MetaLeft", XK_Super_L},
    {"MetaRight", XK_Super_R},
    {"CapsLock", XK_Caps_Lock},
    {"Delete", XK_Delete},
    {"Insert", XK_Insert},
    {"Home", XK_Home},
    {"End", XK_End},
    {"PageUp", XK_Page_Up},
    {"PageDown", XK_Page_Down},
    {"Minus", XK_minus},
    {"Equal", XK_equal},
    {"BracketLeft", XK_bracketleft},
    {"BracketRight", XK_bracketright},
    {"Backslash", XK_backslash},
    {"Semicolon", XK_semicolon},
    {"Quote", XK_apostrophe},
    {"Backquote", XK_grave},
    {"Comma", XK_comma},
    {"Period", XK_period},
    {"Slash", XK_slash},
    {"IntlBackslash", XK_less},
  };
  auto i = named.find(code);
  return i == named.end() ? 0 : i->second;
}

} // namespace openassist::agent
