#include "agent/display.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>

#include <sys/ipc.h>
#include <sys/shm.h>

#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/extensions/XShm.h>
#include <X11/extensions/XTest.h>

#include "agent/keys.hpp"

namespace openassist::agent {

struct display::impl {
  Display* dpy = nullptr;
  Window root = 0;
  int width = 0;
  int height = 0;
  bool shm = false;
  XShmSegmentInfo seg{};
  XImage* image = nullptr;
  std::set<unsigned> keys_down;
  std::set<unsigned> buttons_down;

  int px(double f) const {
    return std::clamp(static_cast<int>(f * width), 0, std::max(0, width - 1));
  }
  int py(double f) const {
    return std::clamp(static_cast<int>(f * height), 0, std::max(0, height - 1));
  }
  void at(double x, double y) {
    XTestFakeMotionEvent(dpy, -1, px(x), py(y), CurrentTime);
  }
};

display::display(const std::string& name, bool capture)
  : p_(std::make_unique<impl>()) {
  p_->dpy = XOpenDisplay(name.empty() ? nullptr : name.c_str());
  if (p_->dpy == nullptr)
    throw std::runtime_error("cannot open the X display (is DISPLAY set?)");
  int ev = 0, err = 0, major = 0, minor = 0;
  if (!XTestQueryExtension(p_->dpy, &ev, &err, &major, &minor)) {
    XCloseDisplay(p_->dpy);
    throw std::runtime_error("the X server has no XTest extension");
  }
  int screen = DefaultScreen(p_->dpy);
  p_->root = RootWindow(p_->dpy, screen);
  p_->width = DisplayWidth(p_->dpy, screen);
  p_->height = DisplayHeight(p_->dpy, screen);
  if (capture && XShmQueryExtension(p_->dpy)) {
    p_->image = XShmCreateImage(
      p_->dpy, DefaultVisual(p_->dpy, screen),
      static_cast<unsigned>(DefaultDepth(p_->dpy, screen)), ZPixmap, nullptr,
      &p_->seg, static_cast<unsigned>(p_->width),
      static_cast<unsigned>(p_->height));
    if (p_->image != nullptr && p_->image->bits_per_pixel == 32) {
      p_->seg.shmid = shmget(IPC_PRIVATE,
                             static_cast<size_t>(p_->image->bytes_per_line) *
                               static_cast<size_t>(p_->image->height),
                             IPC_CREAT | 0600);
      if (p_->seg.shmid >= 0) {
        p_->seg.shmaddr = p_->image->data =
          static_cast<char*>(shmat(p_->seg.shmid, nullptr, 0));
        p_->seg.readOnly = False;
        p_->shm = XShmAttach(p_->dpy, &p_->seg) != 0;
        XSync(p_->dpy, False);
        // Marked for removal now: it goes when both sides detach.
        shmctl(p_->seg.shmid, IPC_RMID, nullptr);
      }
    }
    if (!p_->shm && p_->image != nullptr) {
      if (p_->seg.shmaddr != nullptr)
        shmdt(p_->seg.shmaddr);
      p_->image->data = nullptr;
      XDestroyImage(p_->image);
      p_->image = nullptr;
    }
  }
}

display::~display() {
  release_all();
  if (p_->image != nullptr) {
    if (p_->shm) {
      XShmDetach(p_->dpy, &p_->seg);
      shmdt(p_->seg.shmaddr);
      p_->image->data = nullptr;
    }
    XDestroyImage(p_->image);
  }
  XCloseDisplay(p_->dpy);
}

int display::width() const {
  return p_->width;
}
int display::height() const {
  return p_->height;
}
bool display::shared_memory() const {
  return p_->shm;
}

image_view display::grab() {
  if (p_->shm) {
    XShmGetImage(p_->dpy, p_->root, p_->image, 0, 0, AllPlanes);
  } else {
    if (p_->image != nullptr)
      XDestroyImage(p_->image);
    p_->image =
      XGetImage(p_->dpy, p_->root, 0, 0, static_cast<unsigned>(p_->width),
                static_cast<unsigned>(p_->height), AllPlanes, ZPixmap);
    if (p_->image == nullptr || p_->image->bits_per_pixel != 32)
      throw std::runtime_error("the screen is not 24/32-bit colour");
  }
  return {reinterpret_cast<const uint8_t*>(p_->image->data), p_->width,
          p_->height, p_->image->bytes_per_line};
}

void display::move(double x, double y) {
  p_->at(x, y);
  XFlush(p_->dpy);
}

void display::button(double x, double y, int button, bool down) {
  // Browser buttons 0 left, 1 middle, 2 right; X buttons 1, 2, 3.
  auto b = static_cast<unsigned>(std::clamp(button, 0, 2) + 1);
  p_->at(x, y);
  XTestFakeButtonEvent(p_->dpy, b, down ? True : False, CurrentTime);
  if (down)
    p_->buttons_down.insert(b);
  else
    p_->buttons_down.erase(b);
  XFlush(p_->dpy);
}

void display::wheel(double x, double y, int steps) {
  p_->at(x, y);
  unsigned b = steps > 0 ? 5 : 4; // X: 4 up, 5 down
  for (int i = 0; i < std::min(std::abs(steps), 20); ++i) {
    XTestFakeButtonEvent(p_->dpy, b, True, CurrentTime);
    XTestFakeButtonEvent(p_->dpy, b, False, CurrentTime);
  }
  XFlush(p_->dpy);
}

bool display::key(const std::string& code, bool down) {
  auto sym = keysym_of(code);
  if (sym == 0)
    return false;
  auto kc = XKeysymToKeycode(p_->dpy, sym);
  if (kc == 0)
    return false;
  XTestFakeKeyEvent(p_->dpy, kc, down ? True : False, CurrentTime);
  if (down)
    p_->keys_down.insert(kc);
  else
    p_->keys_down.erase(kc);
  XFlush(p_->dpy);
  return true;
}

void display::release_all() {
  for (auto kc : p_->keys_down)
    XTestFakeKeyEvent(p_->dpy, kc, False, CurrentTime);
  for (auto b : p_->buttons_down)
    XTestFakeButtonEvent(p_->dpy, b, False, CurrentTime);
  p_->keys_down.clear();
  p_->buttons_down.clear();
  XFlush(p_->dpy);
}

} // namespace openassist::agent
