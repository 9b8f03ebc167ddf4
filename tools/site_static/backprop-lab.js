// backprop-lab's own behaviour on the static site (loaded on every page, see _config.yml):
//
// 1. Exercises (backprop_lab/exercises.py writes them when the chapter is executed for the
//    site): the reader types an answer, the page marks it with the rules of
//    Exercise.check (the same number grammar, digits rule and messages), with no kernel.
// 2. Explorers' precomputed views (backprop_lab/explorer.py): the previous/next buttons of
//    a stepper move its step slider, as they do in JupyterLab. The slider itself switches
//    frames through ipywidgets' own jslink; only buttons need this script.
(function () {
  "use strict";

  // ------------------------------------------------------------------ exercises
  var SEPARATORS = /[,;\s]+/;
  var DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
  var FRACTION = /^[+-]?\d+\/\d+$/;

  function parseNumbers(text) {
    var pieces = text.trim().split(SEPARATORS).filter(function (p) {
      return p.length > 0;
    });
    if (pieces.length === 0) {
      throw new Error("answer is empty: type a number");
    }
    return pieces.map(function (piece) {
      var value;
      if (FRACTION.test(piece)) {
        var parts = piece.split("/");
        if (Number(parts[1]) === 0) {
          throw new Error("'" + piece + "' divides by zero");
        }
        value = Number(parts[0]) / Number(parts[1]);
      } else if (DECIMAL.test(piece)) {
        value = Number(piece);
      } else {
        throw new Error("'" + piece + "' is not a number (write e.g. 0.25, 1/4 or 2.5e-1)");
      }
      if (!isFinite(value)) {
        throw new Error("'" + piece + "' is not a finite number");
      }
      return value;
    });
  }

  // How precisely a typed decimal is given: [significant digits, exponent of its last
  // digit] ("0.0530" -> [3, -4]); null for a fraction (exact). Exercises.typed_precision.
  function typedPrecision(piece) {
    piece = piece.trim();
    if (!DECIMAL.test(piece)) {
      return null;
    }
    var parts = piece.replace(/^[+-]/, "").toLowerCase().split("e");
    var exponent = parts.length > 1 ? parseInt(parts[1], 10) : 0;
    var mantissa = parts[0].split(".");
    var fraction = mantissa.length > 1 ? mantissa[1] : "";
    var significant = (mantissa[0] + fraction).replace(/^0+/, "");
    return [significant.length, exponent - fraction.length];
  }

  // Half a unit of the answer's digits-th significant digit (Exercise.allowed_error).
  function allowedError(expected, data) {
    if (expected === 0) {
      return data.absolute_tolerance;
    }
    var exponent = parseInt(Math.abs(expected).toExponential(16).split("e")[1], 10);
    return 0.5 * Math.pow(10, exponent - data.digits + 1) * (1 + 1e-9);
  }

  function close(given, expected, data) {
    return Math.abs(given - expected) <= allowedError(expected, data);
  }

  // A typed decimal with fewer digits than asked that is the answer rounded to them.
  function roundedFrom(piece, given, expected, data) {
    var precision = piece === null ? null : typedPrecision(piece);
    if (precision === null || precision[0] === 0 || precision[0] >= data.digits) {
      return false;
    }
    return Math.abs(given - expected) <= 0.5 * Math.pow(10, precision[1]) * (1 + 1e-9);
  }

  function mark(text, data) {
    if (data.choices) {
      var given = text.trim();
      if (given === data.answer) {
        return { correct: true, message: "Right." };
      }
      if (data.choices.indexOf(given) < 0) {
        return { correct: false, message: "Pick one of: " + data.choices.join(", ") + "." };
      }
      return { correct: false, message: "Not yet: it is not '" + given + "'. Try the hint." };
    }
    var numbers;
    try {
      numbers = parseNumbers(text);
    } catch (error) {
      return { correct: false, message: "Could not read that answer: " + error.message + "." };
    }
    var expected = data.answer;
    if (numbers.length !== expected.length) {
      return {
        correct: false,
        message:
          "Expected " + expected.length + " number" + (expected.length > 1 ? "s" : "") +
          ", got " + numbers.length + ".",
      };
    }
    var pieces = text.trim().split(SEPARATORS).filter(function (p) {
      return p.length > 0;
    });
    var wrong = [];
    numbers.forEach(function (value, k) {
      if (!close(value, expected[k], data)) {
        wrong.push(k + 1);
      }
    });
    if (wrong.length === 0) {
      return { correct: true, message: "Right." };
    }
    var rounded = wrong.every(function (place) {
      return roundedFrom(pieces[place - 1], numbers[place - 1], expected[place - 1], data);
    });
    if (rounded) {
      var more = "give more digits (" + data.digits + " significant digits).";
      if (expected.length === 1) {
        return { correct: false, message: "Close: " + more };
      }
      return { correct: false, message: "Close: for number(s) " + wrong.join(", ") + ", " + more };
    }
    if (expected.length === 1) {
      return { correct: false, message: "Not yet: " + numbers[0] + " is not it. Try the hint." };
    }
    return { correct: false, message: "Not yet: number(s) " + wrong.join(", ") + " are off. Try the hint." };
  }

  function setUpExercise(box) {
    var data = JSON.parse(atob(box.getAttribute("data-bpl-exercise")));
    var input = box.querySelector(".bpl-answer");
    var feedback = box.querySelector(".bpl-feedback");
    function check() {
      var verdict = mark(input.value, data);
      box.classList.toggle("bpl-right", verdict.correct);
      box.classList.toggle("bpl-wrong", !verdict.correct);
      feedback.textContent = (verdict.correct ? "\u2714 " : "\u2718 ") + verdict.message;
    }
    box.querySelector(".bpl-check").addEventListener("click", check);
    input.addEventListener(input.tagName === "SELECT" ? "change" : "keydown", function (event) {
      if (input.tagName === "SELECT" || event.key === "Enter") {
        check();
      }
    });
    box.classList.add("bpl-ready");
  }

  // ------------------------------------------------------------------ stepper buttons
  // A button with class bpl-step-previous / bpl-step-next moves the .bpl-step-slider of its
  // own .bpl-step-group (the row that holds the slider and the buttons; a stepper with a
  // parameter menu has one such row per parameter) by one position, through the slider's
  // own keyboard handling, so the widget model, and the jslinked frames, follow.
  function moveSlider(group, key) {
    var handle = group.querySelector(".bpl-step-slider .noUi-handle");
    if (!handle) {
      return;
    }
    handle.dispatchEvent(new KeyboardEvent("keydown", { key: key, bubbles: true }));
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".bpl-step-previous, .bpl-step-next");
    if (!button) {
      return;
    }
    var group = button.closest(".bpl-step-group");
    if (group) {
      moveSlider(group, button.classList.contains("bpl-step-next") ? "ArrowRight" : "ArrowLeft");
    }
  });

  function start() {
    document.querySelectorAll(".bpl-exercise[data-bpl-exercise]").forEach(setUpExercise);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
  window.backpropLab = { parseNumbers: parseNumbers, mark: mark, typedPrecision: typedPrecision };
})();
