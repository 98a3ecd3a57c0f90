// The one translation unit with CAF test's runner (main).
#include <caf/test/unit_test_impl.hpp>
