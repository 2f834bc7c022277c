// SPDX-License-Identifier: Apache-2.0
// A large upload and download through the emulator binary, side by side with curl on the same
// endpoint: throughput both ways, SHA-256 of what came back, and this client's peak RSS (the
// emulator runs in its own process, so the figure is the client's alone).
//
//   daytona_files_bench [MiB, default 1024]
#include <daytona.hpp>

#include "emulator_process.hpp"

#include <openssl/evp.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

namespace dt = daytona;
using namespace std::chrono;

namespace {

const std::string api_key = "bench-key";

std::string sha256_of(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
    std::vector<char> buf(1 << 20);
    while (in.read(buf.data(), static_cast<std::streamsize>(buf.size())) || in.gcount() > 0)
        EVP_DigestUpdate(ctx, buf.data(), static_cast<std::size_t>(in.gcount()));
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    EVP_DigestFinal_ex(ctx, md, &n);
    EVP_MD_CTX_free(ctx);
    std::string hex;
    for (unsigned i = 0; i < n; ++i) {
        char b[3];
        std::snprintf(b, sizeof b, "%02x", md[i]);
        hex += b;
    }
    return hex;
}

double mib_per_s(std::uint64_t bytes, steady_clock::duration d) {
    return static_cast<double>(bytes) / 1048576.0 / duration<double>(d).count();
}

long peak_rss_mib() {
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss / 1024;
}

}  // namespace

int main(int argc, char** argv) {
    const std::uint64_t mib = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1024;
    const std::uint64_t bytes = mib << 20;
    const auto dir = std::filesystem::temp_directory_path() / "daytona_files_bench";
    std::filesystem::create_directories(dir);
    const auto local = (dir / "up.bin").string(), back = (dir / "back.bin").string(),
               by_curl = (dir / "curl.bin").string();
    if (std::system(("head -c " + std::to_string(bytes) + " /dev/urandom > " + local).c_str()) != 0)
        return 1;
    const auto want = sha256_of(local);

    daytona_test::emulator_process emu(DAYTONA_EMULATOR_BINARY,
                                       {"--api-key", api_key, "--threads", "2"});
    asio::io_context io;
    dt::client client{io.get_executor(), {.api_url = emu.api_url(), .api_key = api_key}};
    auto sb = dt::run_sync(io, client.create());
    if (!sb) {
        std::cerr << "create failed: " << sb.error() << '\n';
        return 1;
    }
    const long rss_before = peak_rss_mib();
    auto t0 = steady_clock::now();
    auto up =
        dt::run_sync(io, sb->fs().upload("/tmp/bench.bin", dt::upload_source::from_path(local)));
    auto t1 = steady_clock::now();
    if (!up) {
        std::cerr << "upload failed: " << up.error() << '\n';
        return 1;
    }
    auto down = dt::run_sync(io, sb->fs().download_to_path("/tmp/bench.bin", back));
    auto t2 = steady_clock::now();
    if (!down) {
        std::cerr << "download failed: " << down.error() << '\n';
        return 1;
    }
    const bool ours_equal = sha256_of(back) == want;

    // curl: the same multipart upload to the same route, and the same download.
    const std::string base = sb->info().toolbox_proxy_url + "/" + sb->id();
    const std::string auth = " -H 'Authorization: Bearer " + api_key + "' ";
    auto c0 = steady_clock::now();
    const int cu = std::system(("curl -sS -o /dev/null" + auth +
                                "-F 'files[0].path=/tmp/curl.bin' -F 'files[0].file=@" + local +
                                "' " + base + "/files/bulk-upload")
                                   .c_str());
    auto c1 = steady_clock::now();
    const int cd = std::system(
        ("curl -sS -o " + by_curl + auth + "'" + base + "/files/download?path=%2Ftmp%2Fcurl.bin'")
            .c_str());
    auto c2 = steady_clock::now();
    const bool curl_equal = cu == 0 && cd == 0 && sha256_of(by_curl) == want;

    std::printf("%llu MiB through %s\n", static_cast<unsigned long long>(mib), base.c_str());
    std::printf("%-12s %12s %12s %8s\n", "", "upload MiB/s", "download MiB/s", "sha256");
    std::printf("%-12s %12.0f %14.0f %8s\n", "daytona-cpp", mib_per_s(bytes, t1 - t0),
                mib_per_s(bytes, t2 - t1), ours_equal ? "equal" : "DIFFERS");
    std::printf("%-12s %12.0f %14.0f %8s\n", "curl", mib_per_s(bytes, c1 - c0),
                mib_per_s(bytes, c2 - c1), curl_equal ? "equal" : "DIFFERS");
    std::printf("ratio        %12.2f %14.2f\n", duration<double>(c1 - c0) / (t1 - t0),
                duration<double>(c2 - c1) / (t2 - t1));
    std::printf("client peak RSS: %ld MiB (%ld MiB before the transfers)\n", peak_rss_mib(),
                rss_before);
    (void)dt::run_sync(io, sb->destroy());
    std::filesystem::remove_all(dir);
    return ours_equal && curl_equal ? 0 : 1;
}
