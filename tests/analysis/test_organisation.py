"""organisation.support_matrix counts every area's ticks in one pass: it must equal support_counts."""
import pandas as pd
from small_survey import assumptions, codebook, published, register

from municipal_survey.analysis import organisation
from municipal_survey.data.survey import Survey
from municipal_survey.synthetic import generator


def test_support_matrix_equals_the_counts_of_each_area():
    book = codebook()
    survey = Survey(
        codebook=book,
        topics=pd.DataFrame({"block": ["area", "area"], "topic": ["a", "b"], "section": ["1.1", "1.2"],
                             "label_da": ["A", "B"], "short_label_da": ["A", "B"]}),
        support_forms=pd.DataFrame({"form": ["x", "y", "z"], "label_da": ["X", "Y", "Z"],
                                    "help_da": ["", "", ""]}),
        register=register(), published=published(),
        responses=generator.generate(book, register(), published(), assumptions()), dataset=None)
    forms = list(survey.support_forms["form"])
    expected = pd.DataFrame({area: organisation.support_counts(survey, area).reindex(forms)
                             for area in organisation.areas(survey).index}).T
    matrix = organisation.support_matrix(survey)
    assert matrix.loc["a", "x"] == 5 and matrix.loc["a", "y"] == 3  # the published and assumed counts
    pd.testing.assert_frame_equal(matrix, expected, check_exact=True)
