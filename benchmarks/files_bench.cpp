// SPDX-License-Identifier: Apache-2.0
// A large upload and download through the emulator binary, side by side with curl and the
// official TS SDK on the same endpoint: throughput both ways, SHA-256 of what came back, and
// this client's peak RSS (the emulator runs in its own process, so the figure is the client's
// alone), checked against the targets: at least 0.8x curl's throughput both ways, at most
// 64 MiB of peak RSS.
//
//   daytona_files_bench [MiB, default 1024]
#include <daytona.hpp>

#include "bench_support.hpp"
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

    // The TS SDK: uploadFile and downloadFile with local paths (its streaming forms).
    const auto by_ts = (dir / "ts.bin").string();
    const std::string ts_line = daytona_bench::run_capture(
        "node " DAYTONA_BENCH_DIR "/ts_transfer_bench.mjs " + emu.api_url() + " " + api_key + " " +
        sb->id() + " files " + local + " /tmp/ts.bin " + by_ts + " 2>&1");
    double ts_up = 0, ts_down = 0;
    const bool ts_ran =
        std::sscanf(ts_line.c_str(), "upload_s %lf download_s %lf", &ts_up, &ts_down) == 2;
    const bool ts_equal = ts_ran && sha256_of(by_ts) == want;

    std::printf("%llu MiB through %s\n", static_cast<unsigned long long>(mib), base.c_str());
    std::printf("%-12s %12s %12s %8s\n", "", "upload MiB/s", "download MiB/s", "sha256");
    std::printf("%-12s %12.0f %14.0f %8s\n", "daytona-cpp", mib_per_s(bytes, t1 - t0),
                mib_per_s(bytes, t2 - t1), ours_equal ? "equal" : "DIFFERS");
    std::printf("%-12s %12.0f %14.0f %8s\n", "curl", mib_per_s(bytes, c1 - c0),
                mib_per_s(bytes, c2 - c1), curl_equal ? "equal" : "DIFFERS");
    if (ts_ran)
        std::printf("%-12s %12.0f %14.0f %8s\n", "TS SDK", static_cast<double>(mib) / ts_up,
                    static_cast<double>(mib) / ts_down, ts_equal ? "equal" : "DIFFERS");
    else
        std::printf("TS SDK did not run: %s\n", ts_line.c_str());
    const double up_ratio = duration<double>(c1 - c0) / (t1 - t0),
                 down_ratio = duration<double>(c2 - c1) / (t2 - t1);
    std::printf("ratio to curl %11.2f %14.2f   (target >= 0.80 both ways: %s)\n", up_ratio,
                down_ratio, up_ratio >= 0.8 && down_ratio >= 0.8 ? "met" : "MISSED");
    const long rss = peak_rss_mib();
    std::printf("client peak RSS: %ld MiB (%ld MiB before the transfers; target <= 64: %s)\n", rss,
                rss_before, rss <= 64 ? "met" : "MISSED");
    (void)dt::run_sync(io, sb->destroy());
    std::filesystem::remove_all(dir);
    return ours_equal && curl_equal && (!ts_ran || ts_equal) ? 0 : 1;
}
