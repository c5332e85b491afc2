// Image loaders (raw binary, Intel HEX) and detection by content. The HEX records below are
// written by hand from the Intel HEX specification (rev. A, 1988): checksum = two's complement of
// the sum of all record bytes before it, so the sum of every byte of a record is 0 mod 256.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <fstream>
#include <functional>

#include "mcusim/base/errors.h"
#include "mcusim/board.h"
#include "mcusim/raw_image.h"

namespace mcusim {
namespace {

std::string write_tmp(const std::string& name, const std::string& content) {
  std::string p = std::string(TEST_TMP) + "/" + name;
  std::ofstream(p, std::ios::binary) << content;
  return p;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

// A record with its checksum computed here from the bytes (the tests that check the checksum
// itself spell their records out).
std::string record(std::uint16_t addr, std::uint8_t type, const std::vector<std::uint8_t>& data) {
  std::vector<std::uint8_t> r{static_cast<std::uint8_t>(data.size()), static_cast<std::uint8_t>(addr >> 8),
                              static_cast<std::uint8_t>(addr), type};
  r.insert(r.end(), data.begin(), data.end());
  unsigned sum = 0;
  for (auto b : r) sum += b;
  r.push_back(static_cast<std::uint8_t>(-sum));
  std::string s = ":";
  for (auto b : r) s += fmt::format("{:02X}", b);
  return s + "\n";
}

const std::string kEof = ":00000001FF\n";  // the end-of-file record of the specification

TEST(IntelHex, SpecificationExampleRecord) {
  // Data record from the specification's example: 16 bytes at 0x0100, checksum 0x40.
  auto p = write_tmp("spec.hex", ":10010000214601360121470136007EFE09D2190140\n" + kEof);
  EXPECT_EQ(detect_image_format(p), ImageFormat::hex);
  auto img = load_intel_hex(p, ElfMachine::riscv);
  ASSERT_EQ(img.segments.size(), 1u);
  EXPECT_EQ(img.segments[0].paddr, 0x0100u);
  EXPECT_EQ(img.segments[0].mem_size, 16u);
  EXPECT_EQ(img.segments[0].bytes[0], 0x21);
  EXPECT_EQ(img.segments[0].bytes[15], 0x01);
  EXPECT_TRUE(img.sections.empty());
  EXPECT_EQ(img.entry, 0x0100u);  // no start record, not Arm: the lowest address
}

TEST(IntelHex, BadChecksumNamesLineAndExpectedValue) {
  // Same record with its checksum changed from 0x40 to 0x41.
  auto p = write_tmp("badsum.hex", ":10010000214601360121470136007EFE09D2190141\n" + kEof);
  auto msg = error_of([&] { load_intel_hex(p, ElfMachine::arm); });
  EXPECT_NE(msg.find("badsum.hex:1:"), std::string::npos) << msg;
  EXPECT_NE(msg.find("bad checksum 0x41 (expected 0x40)"), std::string::npos) << msg;
}

TEST(IntelHex, TruncatedRecord) {
  // Byte count 0x10 but only 8 data bytes follow (and the checksum is then a data byte).
  auto p = write_tmp("trunc.hex", ":100100002146013601214701\n" + kEof);
  auto msg = error_of([&] { load_intel_hex(p, ElfMachine::arm); });
  EXPECT_NE(msg.find("trunc.hex:1:"), std::string::npos) << msg;
  EXPECT_NE(msg.find("truncated record"), std::string::npos) << msg;
  // Odd digit count: a record cut in the middle of a byte.
  auto p2 = write_tmp("odd.hex", ":1001000021460\n");
  EXPECT_NE(error_of([&] { load_intel_hex(p2, ElfMachine::arm); }).find("truncated"), std::string::npos);
}

TEST(IntelHex, MissingEndOfFileIsATruncatedFile) {
  auto p = write_tmp("noeof.hex", record(0, 0, {1, 2, 3, 4}));
  auto msg = error_of([&] { load_intel_hex(p, ElfMachine::arm); });
  EXPECT_NE(msg.find("no end-of-file record"), std::string::npos) << msg;
}

TEST(IntelHex, BadRecordTypeAndBadCharacters) {
  auto p = write_tmp("type.hex", record(0, 0x06, {0}) + kEof);
  auto msg = error_of([&] { load_intel_hex(p, ElfMachine::arm); });
  EXPECT_NE(msg.find("unknown record type 06"), std::string::npos) << msg;
  auto p2 = write_tmp("chars.hex", kEof.substr(0, 5) + "G" + kEof.substr(6));
  EXPECT_NE(error_of([&] { load_intel_hex(p2, ElfMachine::arm); }).find("'G' at column 6"), std::string::npos);
  auto p3 = write_tmp("colon.hex", record(0, 0, {1}) + "garbage\n" + kEof);
  auto msg3 = error_of([&] { load_intel_hex(p3, ElfMachine::arm); });
  EXPECT_NE(msg3.find("colon.hex:2:"), std::string::npos) << msg3;
  EXPECT_NE(msg3.find("does not start with ':'"), std::string::npos) << msg3;
}

TEST(IntelHex, ExtendedLinearAddressAndStartLinearAddress) {
  // 04 0800: upper 16 bits 0x0800 -> data at 0x08000000 + offset; 05: EIP 0x08000101.
  auto p = write_tmp("ela.hex", record(0, 0x04, {0x08, 0x00}) + record(0x0000, 0, {0x00, 0x00, 0x02, 0x20}) +
                                    record(0x0004, 0, {0x01, 0x01, 0x00, 0x08}) + record(0x0010, 0, {0xAA}) +
                                    record(0, 0x05, {0x08, 0x00, 0x01, 0x01}) + kEof);
  auto img = load_intel_hex(p, ElfMachine::arm);
  ASSERT_EQ(img.segments.size(), 2u);  // 0x08000000..7 and the gap up to 0x08000010
  EXPECT_EQ(img.segments[0].paddr, 0x08000000u);
  EXPECT_EQ(img.segments[0].bytes.size(), 8u);
  EXPECT_EQ(img.segments[1].paddr, 0x08000010u);
  EXPECT_EQ(img.segments[1].bytes, std::vector<std::uint8_t>{0xAA});
  EXPECT_EQ(img.entry, 0x08000101u);
  // The specification's own 04 record for upper address 0xFFFF: ":02000004FFFFFC".
  auto p2 = write_tmp("ela2.hex", ":02000004FFFFFC\n" + record(0xFFF0, 0, {7}) + kEof);
  EXPECT_EQ(load_intel_hex(p2, ElfMachine::riscv).segments[0].paddr, 0xFFFFFFF0u);
}

TEST(IntelHex, WithoutStartRecordArmEntryIsTheResetVector) {
  // Vector table: SP 0x20020000, reset 0x08000101; entry = word 1.
  auto p = write_tmp("vec.hex", record(0, 0x04, {0x08, 0x00}) +
                                    record(0, 0, {0x00, 0x00, 0x02, 0x20, 0x01, 0x01, 0x00, 0x08}) + kEof);
  EXPECT_EQ(load_intel_hex(p, ElfMachine::arm).entry, 0x08000101u);
}

TEST(IntelHex, ExtendedSegmentAndStartSegmentAddress) {
  // 02 1000: base 0x1000 << 4 = 0x10000; 03 CS=0x1000 IP=0x0020 -> 0x10020.
  auto p = write_tmp("esa.hex", record(0, 0x02, {0x10, 0x00}) + record(0x0004, 0, {1, 2}) +
                                    record(0, 0x03, {0x10, 0x00, 0x00, 0x20}) + kEof);
  auto img = load_intel_hex(p, ElfMachine::riscv);
  EXPECT_EQ(img.segments[0].paddr, 0x10004u);
  EXPECT_EQ(img.entry, 0x10020u);
}

TEST(IntelHex, RecordsOutOfOrderAreMergedInAddressOrder) {
  auto p = write_tmp("order.hex", record(0x0004, 0, {5, 6}) + record(0x0000, 0, {1, 2, 3, 4}) + kEof);
  auto img = load_intel_hex(p, ElfMachine::riscv);
  ASSERT_EQ(img.segments.size(), 1u);
  EXPECT_EQ(img.segments[0].bytes, (std::vector<std::uint8_t>{1, 2, 3, 4, 5, 6}));
}

TEST(IntelHex, OverlapIsAnError) {
  auto p = write_tmp("overlap.hex", record(0x0000, 0, {1, 2, 3, 4}) + record(0x0010, 0, {9}) +
                                        record(0x0002, 0, {7, 7}) + kEof);
  auto msg = error_of([&] { load_intel_hex(p, ElfMachine::arm); });
  EXPECT_NE(msg.find("address 0x00000002 is given twice"), std::string::npos) << msg;
  EXPECT_NE(msg.find("line 3"), std::string::npos) << msg;
}

TEST(IntelHex, WrapPastTopOfAddressSpace) {
  auto p = write_tmp("wrap.hex", ":02000004FFFFFC\n" + record(0xFFFF, 0, {1, 2}) + kEof);
  auto msg = error_of([&] { load_intel_hex(p, ElfMachine::arm); });
  EXPECT_NE(msg.find("runs past 0xFFFFFFFF"), std::string::npos) << msg;
}

TEST(IntelHex, RecordAfterEndOfFileAndNoData) {
  auto p = write_tmp("after.hex", record(0, 0, {1}) + kEof + record(1, 0, {2}));
  EXPECT_NE(error_of([&] { load_intel_hex(p, ElfMachine::arm); }).find("after the end-of-file record of line 2"),
            std::string::npos);
  auto p2 = write_tmp("nodata.hex", kEof);
  EXPECT_NE(error_of([&] { load_intel_hex(p2, ElfMachine::arm); }).find("no data record"), std::string::npos);
}

TEST(ImageFormat, DetectionByContent) {
  EXPECT_EQ(detect_image_format(write_tmp("x.bin", std::string("\x7f" "ELF\x01\x01", 6))), ImageFormat::elf);
  // A file named .hex holding binary is raw, a file named .bin holding records is HEX.
  EXPECT_EQ(detect_image_format(write_tmp("x.hex", std::string("\x00\x00\x02\x20", 4))), ImageFormat::bin);
  EXPECT_EQ(detect_image_format(write_tmp("y.bin", kEof)), ImageFormat::hex);
  EXPECT_EQ(detect_image_format(write_tmp("z.bin", ":not hex")), ImageFormat::bin);
  auto msg = error_of([&] { detect_image_format(write_tmp("empty.bin", "")); });
  EXPECT_NE(msg.find("empty firmware file"), std::string::npos) << msg;
  EXPECT_NE(error_of([] { detect_image_format("/nonexistent/fw.bin"); }).find("cannot open"), std::string::npos);
}

TEST(RawBinary, OneSegmentAtTheLoadAddressEntryFromTheVectorTable) {
  auto p = write_tmp("vec.bin", std::string("\x00\x00\x02\x20\xC1\x01\x00\x08\xAA", 9));
  auto img = load_raw_binary(p, 0x08000000, ElfMachine::arm);
  ASSERT_EQ(img.segments.size(), 1u);
  EXPECT_EQ(img.segments[0].paddr, 0x08000000u);
  EXPECT_EQ(img.segments[0].mem_size, 9u);
  EXPECT_EQ(img.entry, 0x080001C1u);
  EXPECT_TRUE(img.sections.empty());
  EXPECT_EQ(load_raw_binary(p, 0x00100000, ElfMachine::riscv).entry, 0x00100000u);
  auto msg = error_of([&] { load_raw_binary(p, 0xFFFFFFF8, ElfMachine::arm); });
  EXPECT_NE(msg.find("runs past the end of the 32-bit address space"), std::string::npos) << msg;
}

TEST(RawBinary, BoardBootAddressAndSizeCheck) {
  auto board = load_board("nucleo-g0b1re");
  EXPECT_EQ(raw_load_address(board), 0x08000000u);  // flash base
  auto p = write_tmp("small.bin", std::string("\x00\x00\x02\x20\xC1\x01\x00\x08", 8));
  EXPECT_EQ(load_board_image(p, board).segments[0].paddr, 0x08000000u);
  // One byte more than the G0B1RE's 512 KiB of flash.
  auto big = write_tmp("big.bin", std::string(512 * 1024 + 1, '\0'));
  auto msg = error_of([&] { load_board_image(big, board); });
  EXPECT_NE(msg.find("524289 bytes is too large for board nucleo-g0b1re"), std::string::npos) << msg;
  auto moved = load_board("nucleo-g0b1re", {"boot_address=0x20000000"});
  EXPECT_EQ(raw_load_address(moved), 0x20000000u);
  auto ibex = load_board("ibex-simple");  // no flash, no boot_address
  EXPECT_NE(error_of([&] { raw_load_address(ibex); }).find("give boot_address"), std::string::npos);
}

}  // namespace
}  // namespace mcusim
