#pragma once

#include <memory>
#include <string>

#include "agent/tiles.hpp"

// The customer's X11 desktop: its picture (MIT-SHM when the server has it,
// XGetImage otherwise) and, once the customer allowed it, the technician's
// mouse and keyboard through XTest. One connection to the X server, used
// from one thread.
namespace openassist::agent {

class display {
public:
  /// Opens `name` ("" for $DISPLAY), for grabbing the screen (`capture`)
  /// or only for input; throws std::runtime_error with what is missing (no
  /// display, no XTest).
  explicit display(const std::string& name = "", bool capture = true);
  ~display();
  display(const display&) = delete;
  display& operator=(const display&) = delete;

  int width() const;
  int height() const;
  bool shared_memory() const;

  /// The whole screen now; valid until the next grab.
  image_view grab();

  /// Input at a fraction of the screen (0..1).
  void move(double x, double y);
  void button(double x, double y, int button, bool down);
  void wheel(double x, double y, int steps);
  /// A key by its KeyboardEvent.code; false when it is not known here.
  bool key(const std::string& code, bool down);
  /// Lets every key and button go (when control ends).
  void release_all();

private:
  struct impl;
  std::unique_ptr<impl> p_;
};

} // namespace openassist::agent
