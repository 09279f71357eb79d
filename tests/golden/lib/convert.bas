REM LibreOffice Basic for tests/golden/lib/lo.sh: several conversions in one
REM LibreOffice start (each start costs seconds of CPU).
REM Batch(LIST): each line of the file LIST is
REM   INPUT <tab> IN-FILTER[:OPTIONS] <tab> OUTPUT <tab> OUT-FILTER[:OPTIONS]
REM loaded and stored as soffice --infilter=IN-FILTER --convert-to would (an
REM empty IN-FILTER: LibreOffice's own detection). A conversion that fails
REM is named in LIST.failed (a runtime error would otherwise wait for a click
REM that never comes). Ends LibreOffice when done.
Sub Batch(sList As String)
	Dim iList As Integer, iFailed As Integer, sLine As String, f
	iList = FreeFile
	Open sList For Input As #iList
	iFailed = FreeFile
	Open sList & ".failed" For Output As #iFailed
	Do While Not EOF(iList)
		Line Input #iList, sLine
		If sLine <> "" Then
			f = Split(sLine, Chr(9))
			If Not ConvertOne(f(0), f(1), f(2), f(3)) Then Print #iFailed, sLine
		End If
	Loop
	Close #iFailed
	Close #iList
	StarDesktop.terminate()
End Sub

REM The media descriptor of SPEC ("FILTER[:OPTIONS]", or "").
Function Descriptor(sSpec As String, bHidden As Boolean)
	Dim n As Integer, i As Integer
	Dim a() As New com.sun.star.beans.PropertyValue
	n = -1
	If bHidden Then
		n = n + 1
		ReDim Preserve a(n) As New com.sun.star.beans.PropertyValue
		a(n).Name = "Hidden" : a(n).Value = True
	End If
	If sSpec <> "" Then
		i = InStr(sSpec, ":")
		n = n + 1
		ReDim Preserve a(n) As New com.sun.star.beans.PropertyValue
		a(n).Name = "FilterName"
		If i > 0 Then a(n).Value = Left(sSpec, i - 1) Else a(n).Value = sSpec
		If i > 0 Then
			n = n + 1
			ReDim Preserve a(n) As New com.sun.star.beans.PropertyValue
			a(n).Name = "FilterOptions" : a(n).Value = Mid(sSpec, i + 1)
		End If
	End If
	Descriptor = a()
End Function

Function ConvertOne(sIn As String, sInFilter As String, sOut As String, sOutFilter As String) As Boolean
	Dim oDoc
	ConvertOne = False
	If Not FileExists(sIn) Then Exit Function ' (a load of no file waits for a click)
	On Error Goto Failed
	oDoc = StarDesktop.loadComponentFromURL(ConvertToURL(sIn), "_blank", 0, Descriptor(sInFilter, True))
	If IsNull(oDoc) Then Exit Function
	oDoc.storeToURL(ConvertToURL(sOut), Descriptor(sOutFilter, False))
	oDoc.close(True)
	ConvertOne = True
	Exit Function
Failed:
	If Not IsNull(oDoc) Then oDoc.close(True)
End Function
