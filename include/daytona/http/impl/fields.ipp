// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of http/fields.hpp: included by it in the header-only build, compiled once by
// <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_HTTP_IMPL_FIELDS_IPP
#define DAYTONA_HTTP_IMPL_FIELDS_IPP

#include "daytona/http/fields.hpp"

DAYTONA_BEGIN_NAMESPACE
namespace http {

fields::fields(std::initializer_list<field_view> init) {
    for (const auto& f : init)
        add(f.name, f.value);
}

void fields::add(std::string_view name, std::string_view value) {
    entry e{static_cast<std::uint32_t>(buf_.size()), static_cast<std::uint32_t>(name.size()), 0,
            static_cast<std::uint32_t>(value.size())};
    buf_.append(name);
    e.value_off = static_cast<std::uint32_t>(buf_.size());
    buf_.append(value);
    index_.push_back(e);
}

void fields::set(std::string_view name, std::string_view value) {
    erase(name);
    add(name, value);
}

std::size_t fields::erase(std::string_view name) {
    std::size_t n = 0;
    for (auto it = index_.begin(); it != index_.end();) {
        if (detail::iequals(name_of(*it), name)) {
            it = index_.erase(it);
            ++n;
        } else {
            ++it;
        }
    }
    return n;
}

std::optional<std::string_view> fields::find(std::string_view name) const noexcept {
    for (const auto& e : index_)
        if (detail::iequals(name_of(e), name)) return value_of(e);
    return std::nullopt;
}

std::size_t fields::wire_size() const noexcept {
    std::size_t n = 0;
    for (const auto& e : index_)
        n += e.name_len + e.value_len + 4;
    return n;
}

void fields::begin_field() {
    auto off = static_cast<std::uint32_t>(buf_.size());
    index_.push_back(entry{off, 0, off, 0});
}

void fields::append_name(std::string_view s) {
    buf_.append(s);
    auto& e = index_.back();
    e.name_len += static_cast<std::uint32_t>(s.size());
    e.value_off = static_cast<std::uint32_t>(buf_.size());
}

void fields::append_value(std::string_view s) {
    buf_.append(s);
    index_.back().value_len += static_cast<std::uint32_t>(s.size());
}

void fields::trim_last_value() noexcept {
    auto& e = index_.back();
    while (e.value_len > 0 && detail::is_http_space(buf_[e.value_off + e.value_len - 1]))
        --e.value_len;
}

}  // namespace http
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_HTTP_IMPL_FIELDS_IPP
