// SPDX-License-Identifier: Apache-2.0
// HTTP header fields stored compactly: one character buffer plus an index, so a parsed message
// costs two allocations instead of two per header.
#ifndef DAYTONA_HTTP_FIELDS_HPP
#define DAYTONA_HTTP_FIELDS_HPP

#include "daytona/config.hpp"
#include "daytona/detail/string.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

DAYTONA_BEGIN_NAMESPACE
namespace http {

/// One header line as views into its fields object (valid until the next modification).
struct field_view {
    /// The field name, as it was added (case kept).
    std::string_view name;
    /// The field value, without surrounding whitespace.
    std::string_view value;
};

/**
 * \brief An ordered multimap of header fields with case-insensitive names.
 * \details Insertion order is kept, duplicates are allowed (`add`), `set` replaces. Lookups are
 * linear, which beats hashing for the dozen fields a message carries.
 */
class fields {
public:
    fields() = default;
    /// The fields of a braced list, in order: `{{"Accept", "*/*"}, {"X-A", "1"}}`.
    DAYTONA_DECL fields(std::initializer_list<field_view> init);

    /// Appends a field, keeping any existing ones of the same name.
    DAYTONA_DECL void add(std::string_view name, std::string_view value);

    /// Replaces every field named `name` with one holding `value`.
    DAYTONA_DECL void set(std::string_view name, std::string_view value);

    /// Removes every field named `name`. Returns how many were removed.
    DAYTONA_DECL std::size_t erase(std::string_view name);

    /// The value of the first field named `name`, if any.
    DAYTONA_DECL std::optional<std::string_view> find(std::string_view name) const noexcept;

    /// The value of the first field named `name`, or "" when absent.
    std::string_view get(std::string_view name) const noexcept { return find(name).value_or(""); }

    /// True when a field named `name` exists.
    bool contains(std::string_view name) const noexcept { return find(name).has_value(); }

    /// Number of fields, duplicates counted.
    std::size_t size() const noexcept { return index_.size(); }
    /// True when there are no fields.
    bool empty() const noexcept { return index_.empty(); }
    /// The `i`-th field in insertion order. Precondition: `i < size()`.
    field_view operator[](std::size_t i) const noexcept {
        return {name_of(index_[i]), value_of(index_[i])};
    }

    /// Removes every field.
    void clear() noexcept {
        buf_.clear();
        index_.clear();
    }

    /// Forward iterator over the fields in insertion order; yields field_view values.
    class iterator {
    public:
        /// The element type, field_view.
        using value_type = field_view;
        /// Difference between two positions.
        using difference_type = std::ptrdiff_t;
        iterator() = default;
        /// Position `i` in `f`.
        iterator(const fields* f, std::size_t i) : f_(f), i_(i) {}
        /// The field at this position.
        field_view operator*() const { return (*f_)[i_]; }
        /// Moves to the next field.
        iterator& operator++() {
            ++i_;
            return *this;
        }
        /// Moves to the next field; answers the previous position.
        iterator operator++(int) {
            auto t = *this;
            ++i_;
            return t;
        }
        /// True at the same position (iterators of the same fields object).
        bool operator==(const iterator& o) const { return i_ == o.i_; }

    private:
        const fields* f_ = nullptr;
        std::size_t i_ = 0;
    };
    /// Iterator to the first field.
    iterator begin() const { return {this, 0}; }
    /// Iterator past the last field.
    iterator end() const { return {this, index_.size()}; }

    /// Bytes the serialized form occupies ("name: value\r\n" per field).
    DAYTONA_DECL std::size_t wire_size() const noexcept;

    // --- incremental building, used by the parser when llhttp hands over a field in pieces ---

    /// Starts a new field whose name and value follow as fragments.
    DAYTONA_DECL void begin_field();
    /// Extends the name of the field begun last. Only valid before any value fragment.
    DAYTONA_DECL void append_name(std::string_view s);
    /// Extends the value of the field begun last.
    DAYTONA_DECL void append_value(std::string_view s);
    /// Trims optional whitespace around the value of the field begun last (llhttp keeps
    /// trailing whitespace).
    DAYTONA_DECL void trim_last_value() noexcept;

private:
    struct entry {
        std::uint32_t name_off, name_len, value_off, value_len;
    };
    std::string_view name_of(const entry& e) const noexcept {
        return {buf_.data() + e.name_off, e.name_len};
    }
    std::string_view value_of(const entry& e) const noexcept {
        return {buf_.data() + e.value_off, e.value_len};
    }

    std::string buf_;
    std::vector<entry> index_;
};

}  // namespace http
DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/http/impl/fields.ipp"
#endif

#endif  // DAYTONA_HTTP_FIELDS_HPP
