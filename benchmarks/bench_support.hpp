// SPDX-License-Identifier: Apache-2.0
// What the side-by-side benchmarks share: this process's CPU time, and the output of a
// comparison program (wrk, node with the TS SDK) run through the shell.
#ifndef DAYTONA_BENCH_SUPPORT_HPP
#define DAYTONA_BENCH_SUPPORT_HPP

#include <sys/resource.h>

#include <cstdio>
#include <string>

namespace daytona_bench {

/// CPU seconds (user + system) of this process, or of its waited-for children.
inline double cpu_seconds(int who = RUSAGE_SELF) {
    rusage ru{};
    getrusage(who, &ru);
    auto tv = [](timeval t) {
        return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
    };
    return tv(ru.ru_utime) + tv(ru.ru_stime);
}

/// What `cmd` printed on stdout (append `2>&1` for stderr too); "" if it could not run.
inline std::string run_capture(const std::string& cmd) {
    std::string out;
    if (FILE* p = ::popen(cmd.c_str(), "r")) {
        char buf[4096];
        while (std::size_t n = std::fread(buf, 1, sizeof buf, p))
            out.append(buf, n);
        ::pclose(p);
    }
    return out;
}

}  // namespace daytona_bench

#endif  // DAYTONA_BENCH_SUPPORT_HPP
