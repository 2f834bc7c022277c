// SPDX-License-Identifier: Apache-2.0
// The emulator object: owns the data directory, the service and the HTTP server.
#include "emulator.hpp"

#include "http_server.hpp"
#include "service.hpp"

#include <signal.h>
#include <unistd.h>

#include <cstdlib>

namespace daytona::emulator {

emulator::emulator(emulator_options opts) : opts_(std::move(opts)) {}

emulator::~emulator() {
    stop();
}

result<void> emulator::start() {
    if (server_) return {};
    // Writing to the pipe of a sandbox process that has died (a language server, an
    // interpreter) must fail with EPIPE, not kill the process the emulator runs in.
    struct sigaction current {};
    if (::sigaction(SIGPIPE, nullptr, &current) == 0 && current.sa_handler == SIG_DFL)
        ::signal(SIGPIPE, SIG_IGN);
    std::error_code ec;
    if (opts_.data_dir.empty()) {
        // /var/tmp rather than /tmp: with mount namespaces the sandbox's own /tmp hides the host's,
        // and the sandbox trees must stay reachable from inside.
        fs::path base = fs::is_directory("/var/tmp", ec) && ::access("/var/tmp", W_OK) == 0
                            ? fs::path("/var/tmp")
                            : fs::temp_directory_path(ec);
        std::string tmpl = (base / "daytona-emulator-XXXXXX").string();
        if (::mkdtemp(tmpl.data()) == nullptr)
            return error(make_error_code(errc::io_error),
                         "cannot create a temporary data directory");
        data_dir_ = tmpl;
        owns_data_dir_ = true;
    } else {
        data_dir_ = opts_.data_dir;
        fs::create_directories(data_dir_, ec);
        if (ec)
            return error(
                make_error_code(errc::io_error),
                "cannot create data directory " + data_dir_.string() + ": " + ec.message());
    }
    // Canonical, so sandbox paths can be checked against it without resolving it again.
    data_dir_ = fs::canonical(data_dir_, ec);
    if (ec)
        return error(make_error_code(errc::io_error),
                     "cannot resolve the data directory: " + ec.message());
    const bool tls = !opts_.tls_cert_file.empty();
    try {
        service_ = std::make_shared<service>(opts_, data_dir_, tls);
    } catch (const std::exception& e) {
        return error(make_error_code(errc::invalid_argument), e.what());
    }
    server_options so;
    so.bind_address = opts_.bind_address;
    so.port = opts_.port;
    so.threads = opts_.threads;
    so.tls_cert_file = opts_.tls_cert_file;
    so.tls_key_file = opts_.tls_key_file;
    server_ = std::make_unique<http_server>(so, service_);
    auto port = server_->start();
    if (!port) {
        server_.reset();
        service_.reset();
        return std::move(port).error();
    }
    service_->set_port(*port);
    return {};
}

void emulator::stop() {
    if (server_) server_->stop();
    server_.reset();
    if (service_) service_->shutdown();
    service_.reset();
    if (owns_data_dir_) {
        std::error_code ec;
        fs::remove_all(data_dir_, ec);
        owns_data_dir_ = false;
    }
}

std::uint16_t emulator::port() const noexcept {
    return server_ ? server_->port() : 0;
}

std::string emulator::base_url() const {
    return std::string(opts_.tls_cert_file.empty() ? "http://" : "https://") + opts_.bind_address +
           ":" + std::to_string(port());
}

std::string emulator::isolation() const {
    return service_ ? service_->isolation_summary() : std::string("not started");
}

bool emulator::real_builds(std::string* why_not) const {
    if (service_) return service_->real_builds(why_not);
    if (why_not) *why_not = "the emulator is not started";
    return false;
}

}  // namespace daytona::emulator
