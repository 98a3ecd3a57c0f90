// Recording files are read back from disk, where they may be cut off or
// damaged: reading never fails or reads out of bounds, and what a writer
// wrote reads back exactly.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include <sodium.h>

#include "actors/session/recording_crypto.hpp"

using namespace openassist::actors::recording;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const int ready = sodium_init();
  (void)ready;
  static std::string pk(crypto_box_PUBLICKEYBYTES, '\0'),
    sk(crypto_box_SECRETKEYBYTES, '\0');
  static bool keyed = false;
  if (!keyed) {
    unsigned char seed[crypto_box_SEEDBYTES] = {1, 2, 3};
    crypto_box_seed_keypair(reinterpret_cast<unsigned char*>(pk.data()),
                            reinterpret_cast<unsigned char*>(sk.data()), seed);
    keyed = true;
  }
  std::string_view in(reinterpret_cast<const char*>(data), size);
  // Arbitrary bytes as a file.
  (void)read(in, pk, sk);
  (void)generation_of(in);
  // The input as records: written and read back the same.
  writer w(pk, 7);
  auto file = *w.header();
  std::vector<std::string> payloads;
  for (size_t at = 0; at < in.size();) {
    size_t len =
      std::min<size_t>(static_cast<unsigned char>(in[at]), in.size() - at);
    payloads.emplace_back(in.substr(at, len));
    at += len + 1;
  }
  for (size_t i = 0; i < payloads.size(); ++i)
    file += w.chunk({kind::chat, static_cast<int64_t>(i), payloads[i]},
                    i + 1 == payloads.size());
  auto r = read(file, pk, sk);
  if (!r || r->records.size() != payloads.size() || *generation_of(file) != 7)
    std::abort();
  for (size_t i = 0; i < payloads.size(); ++i)
    if (r->records[i].payload != payloads[i] ||
        r->records[i].time_ms != static_cast<int64_t>(i))
      std::abort();
  if (!payloads.empty() && !r->finished)
    std::abort();
  return 0;
}
