// A small X client for the support app's tests (tests/browser/agent.test.mjs):
//
//   oa_xtool log X Y W H NAME       a window at (X, Y), W x H, named NAME,
//                                   filled with a colour; prints {"ready":…}
//                                   and then one JSON line per button or key
//                                   event it receives (root coordinates,
//                                   keysym names), until killed.
//   oa_xtool scroll X Y W H LINES   a "terminal" at (X, Y), W x H, that
//                                   writes LINES lines of text a second,
//                                   scrolling (bench/agent_load.mjs).
//   oa_xtool click-named NAME DX DY clicks (XTest, button 1) at (DX, DY)
//                                   inside the window named NAME (waits up
//                                   to 10 s for it); prints {"clicked":…}.
//
// The display is $DISPLAY.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <thread>

#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/extensions/XTest.h>

namespace {

int log_events(Display* dpy, int x, int y, int w, int h, const char* name) {
  int screen = DefaultScreen(dpy);
  XSetWindowAttributes attrs{};
  attrs.background_pixel = 0x3366cc;
  attrs.event_mask = ButtonPressMask | ButtonReleaseMask | KeyPressMask |
                     KeyReleaseMask | StructureNotifyMask | ExposureMask;
  Window win =
    XCreateWindow(dpy, RootWindow(dpy, screen), x, y, static_cast<unsigned>(w),
                  static_cast<unsigned>(h), 0, CopyFromParent, InputOutput,
                  CopyFromParent, CWBackPixel | CWEventMask, &attrs);
  XStoreName(dpy, win, name);
  XSizeHints hints{};
  hints.flags = USPosition | PPosition;
  hints.x = x;
  hints.y = y;
  XSetWMNormalHints(dpy, win, &hints);
  XMapRaised(dpy, win);
  XFlush(dpy);
  for (;;) {
    XEvent ev;
    XNextEvent(dpy, &ev);
    switch (ev.type) {
      case MapNotify:
        std::printf("{\"ready\":true}\n");
        break;
      case ButtonPress:
      case ButtonRelease:
        std::printf(
          "{\"t\":\"button\",\"x\":%d,\"y\":%d,\"button\":%u,\"down\":%s}\n",
          ev.xbutton.x_root, ev.xbutton.y_root, ev.xbutton.button,
          ev.type == ButtonPress ? "true" : "false");
        break;
      case KeyPress:
      case KeyRelease: {
        KeySym sym = XLookupKeysym(&ev.xkey, 0);
        const char* s = XKeysymToString(sym);
        std::printf("{\"t\":\"key\",\"keysym\":\"%s\",\"down\":%s}\n",
                    s ? s : "?", ev.type == KeyPress ? "true" : "false");
        break;
      }
      default:
        break;
    }
    std::fflush(stdout);
  }
}

int scroll_text(Display* dpy, int x, int y, int w, int h, int per_s) {
  int screen = DefaultScreen(dpy);
  Window win =
    XCreateSimpleWindow(dpy, RootWindow(dpy, screen), x, y,
                        static_cast<unsigned>(w), static_cast<unsigned>(h), 0,
                        WhitePixel(dpy, screen), BlackPixel(dpy, screen));
  XStoreName(dpy, win, "terminal");
  XSelectInput(dpy, win, StructureNotifyMask);
  XMapRaised(dpy, win);
  GC gc = XCreateGC(dpy, win, 0, nullptr);
  XSetForeground(dpy, gc, WhitePixel(dpy, screen));
  XSetBackground(dpy, gc, BlackPixel(dpy, screen));
  for (;;) {
    XEvent ev;
    XNextEvent(dpy, &ev);
    if (ev.type == MapNotify)
      break;
  }
  std::printf("{\"ready\":true}\n");
  std::fflush(stdout);
  const int line_h = 14;
  auto period = std::chrono::microseconds(1000000 / std::max(1, per_s));
  auto next = std::chrono::steady_clock::now();
  for (unsigned long n = 0;; ++n) {
    // Up by one line, then a new line at the bottom, as a terminal does.
    XCopyArea(dpy, win, win, gc, 0, line_h, static_cast<unsigned>(w),
              static_cast<unsigned>(h - line_h), 0, 0);
    XSetForeground(dpy, gc, BlackPixel(dpy, screen));
    XFillRectangle(dpy, win, gc, 0, h - line_h, static_cast<unsigned>(w),
                   line_h);
    XSetForeground(dpy, gc, WhitePixel(dpy, screen));
    char text[160];
    int len = std::snprintf(text, sizeof text,
                            "%08lu  build step %lu: compiling module_%lu.cpp "
                            "... ok (%lu ms)",
                            n, n % 977, (n * 7919) % 1000, (n * 31) % 450);
    XDrawString(dpy, win, gc, 4, h - 3, text, len);
    XFlush(dpy);
    next += period;
    std::this_thread::sleep_until(next);
  }
}

std::optional<Window> find_named(Display* dpy, Window top, const char* name) {
  char* got = nullptr;
  if (XFetchName(dpy, top, &got) != 0 && got != nullptr) {
    bool same = std::strcmp(got, name) == 0;
    XFree(got);
    XWindowAttributes a{};
    if (same && XGetWindowAttributes(dpy, top, &a) != 0 &&
        a.map_state == IsViewable)
      return top;
  }
  Window root = 0, parent = 0;
  Window* kids = nullptr;
  unsigned n = 0;
  if (XQueryTree(dpy, top, &root, &parent, &kids, &n) == 0)
    return std::nullopt;
  std::optional<Window> found;
  for (unsigned i = 0; i < n && !found; ++i)
    found = find_named(dpy, kids[i], name);
  if (kids != nullptr)
    XFree(kids);
  return found;
}

int click_named(Display* dpy, const char* name, int dx, int dy) {
  Window root = DefaultRootWindow(dpy);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  std::optional<Window> win;
  while (!(win = find_named(dpy, root, name))) {
    if (std::chrono::steady_clock::now() > deadline) {
      std::fprintf(stderr, "oa_xtool: no window named %s\n", name);
      return 1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  int x = 0, y = 0;
  Window child = 0;
  XTranslateCoordinates(dpy, *win, root, dx, dy, &x, &y, &child);
  XTestFakeMotionEvent(dpy, -1, x, y, CurrentTime);
  XTestFakeButtonEvent(dpy, 1, True, CurrentTime);
  XTestFakeButtonEvent(dpy, 1, False, CurrentTime);
  XSync(dpy, False);
  std::printf("{\"clicked\":true,\"x\":%d,\"y\":%d}\n", x, y);
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  Display* dpy = XOpenDisplay(nullptr);
  if (dpy == nullptr) {
    std::fprintf(stderr, "oa_xtool: cannot open the display\n");
    return 1;
  }
  std::string cmd = argc > 1 ? argv[1] : "";
  if (cmd == "log" && argc == 7)
    return log_events(dpy, std::atoi(argv[2]), std::atoi(argv[3]),
                      std::atoi(argv[4]), std::atoi(argv[5]), argv[6]);
  if (cmd == "scroll" && argc == 7)
    return scroll_text(dpy, std::atoi(argv[2]), std::atoi(argv[3]),
                       std::atoi(argv[4]), std::atoi(argv[5]),
                       std::atoi(argv[6]));
  if (cmd == "click-named" && argc == 5)
    return click_named(dpy, argv[2], std::atoi(argv[3]), std::atoi(argv[4]));
  std::fprintf(stderr, "usage: oa_xtool log X Y W H NAME | scroll X Y W H "
                       "LINES | click-named NAME DX DY\n");
  return 2;
}
